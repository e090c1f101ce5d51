"""Claim matching: whether two sentences state the same claim, and which published fact-checks a claim repeats.

* :mod:`.text`: what the matcher reads of a sentence (words, stems, numbers, negation);
* :mod:`.pairs`: the features of a pair and the default matcher (a score, a decision, what ruled a pair out);
* :mod:`.default_weights`: the default matcher's constants (feature weights, no word weights);
* :mod:`.rank`: BM25 over fact-checks, for ranking them against a claim.
"""
