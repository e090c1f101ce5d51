"""Tests of builder.match: the matcher, its text reading and the fact-check ranking."""
