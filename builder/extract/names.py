"""What a name is: titles, honorifics, person names, organisations, and the words that are none of these.

* A **title** precedes a name and is not part of it: "NATO Secretary General", "Sen.", "Senate Majority Leader";
  the name is what follows the last title word ("Senate Majority Leader Mitch McConnell" → "Mitch McConnell").
* An **honorific** is part of the name as written: "Mr. Kelly", "Mrs. Clinton" (it also tells the gender).
* A **person name** is two to four capitalised words after the title, none of them a place, an organisation
  word or a headline's function word ("Deal With Russia"), or an honorific and a surname.
* An **organisation** name ends in an organisation word ("Goldman Sachs Group", "the Justice Department") or
  is an acronym ("OPEC", "NATO").
"""

from __future__ import annotations

import functools
import re

from builder.extract.tokens import Token

__all__ = [
    "FEMALE_NAMES",
    "GROUP_NOUNS",
    "HONORIFICS",
    "INDUSTRY_WORDS",
    "MALE_NAMES",
    "ORGANISATION_WORDS",
    "ROLE_WORDS",
    "gender_of",
    "is_organisation",
    "is_title_word",
    "name_span",
    "nationality",
    "person_name",
    "split_title",
]

TITLE_WORDS = frozenset(
    "president president-elect prime minister secretary general chancellor chief foreign defence defense interior "
    "finance director chairman chairwoman chair ambassador senator sen governor gov representative rep congressman "
    "congresswoman spokesman spokeswoman spokesperson king queen pope new former deputy vice acting head leader "
    "commander admiral adm colonel col captain capt lieutenant lt sergeant sgt mayor premier envoy executive "
    "officer judge justice attorney state staff speaker candidate nominee front-runner frontrunner strategist "
    "analyst economist professor prof gen rev reverend manager coach ceo founder co-founder treasurer "
    "commissioner superintendent sheriff detective inspector minister majority minority whip nato un eu us uk "
    "councilman councilwoman councillor councilor alderman alderwoman assemblyman assemblywoman trustee delegate "
    "bishop archbishop cardinal rabbi imam pastor dean provost principal constable marshal magistrate "
    "curator historian researcher scientist lawyer activist author artist engineer nurse teacher farmer "
    "u.s. u.n. gop democratic republican democrat rep. sen. gov. gen. lt. col. capt. prof. rev. adm. sgt.".split()
)
HONORIFICS = frozenset("mr mrs ms miss dr sir dame lord lady mr. mrs. ms. dr.".split())
_FEMALE = frozenset({"mrs", "ms", "miss", "dame", "lady", "mrs.", "ms."})
_MALE = frozenset({"mr", "sir", "lord", "mr."})
ROLE_WORDS = (
    "captain",
    "manager",
    "coach",
    "secretary general",
    "secretary-general",
    "prime minister",
    "president",
    "minister",
    "chancellor",
    "chief",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "chairman",
    "director",
    "ambassador",
    "governor",
    "senator",
    "mayor",
    "commander",
    "envoy",
    "head",
    "leader",
    "official",
    "premier",
    "candidate",
    "nominee",
)
_NOT_PEOPLE = frozenset(
    "war sea ocean america europe union states council plan office times policy party kingdom nations "
    "ministry embassy alliance forum summit organisation organization agency news daily post journal "
    "herald tribune street house square river mountains island islands republic federation committee "
    "commission bank group league cup club university school college institute centre center court "
    "parliament assembly congress senate government army navy force forces security service services "
    "airport station company corporation inc ltd media network radio television tv channel press review "
    "magazine gazette avenue road park hall securities international holdings capital partners associates "
    "fund trust foundation department stadium cathedral church hospital prison airlines airways motors "
    "systems technologies city united rovers wanderers athletic albion county side team banking "
    "championship championships open games olympics trophy award awards prize festival show series tour "
    "accord treaty act bill amendment convention caucus caucuses primary debate campaign administration "
    "co corp plc llc ag sa nv "
    "monday tuesday wednesday thursday friday saturday sunday january february march april may june july "
    "august september october november december".split()
)
ORGANISATION_WORDS = frozenset(
    "inc inc. corp corp. co co. ltd ltd. llc plc group party committee department ministry agency commission "
    "council association institute university bank fund foundation union federation board office service "
    "administration campaign network corporation company companies holdings partners post times news journal "
    "press reuters tribune herald gazette magazine television radio court senate congress house parliament "
    "government police army navy court cnn nbc abc cbs msnbc fox politico poll survey center centre ag".split()
)
# Words that end a company's name but no person's: "Andes Meridian Mining", "Halverson Tool Co".
INDUSTRY_WORDS = frozenset(
    "mining oil gas energy steel foods airlines petroleum chemical chemicals pharmaceuticals electric power telecom "
    "communications industries enterprises resources metals minerals materials products brands investments "
    "financial insurance bancorp exchange markets entertainment records studios pictures software labs "
    "laboratories semiconductor logistics shipping railways railroad".split()
)
_NOT_PEOPLE = _NOT_PEOPLE | INDUSTRY_WORDS
ORGANISATION_WORDS = ORGANISATION_WORDS | INDUSTRY_WORDS
_STARTERS = frozenset(
    "the a an but and in on at when even so this that what how if as for our we i it he she they let just "
    "after before during while however meanwhile according since despite although though also then there "
    "his her their its my your both neither either now only all each every some many most".split()
)
# Capitalised in headlines, never part of a name: "Deal With Russia".
_FUNCTION = frozenset("with to for and or of in on at by from into over under says said must be is are will".split())
GROUP_NOUNS = frozenset(
    "analysts officials experts sources critics economists dealers traders investors residents police authorities "
    "researchers scientists doctors lawyers prosecutors witnesses observers voters supporters opponents aides "
    "advisers advisors insiders diplomats executives people strategists lawmakers legislators democrats "
    "republicans conservatives liberals activists organizers organisers protesters demonstrators officers "
    "agents spokesmen spokeswomen reporters journalists pollsters surveys polls studies reports documents data "
    "figures estimates records statistics forecasters bankers brokers sellers buyers producers farmers workers "
    "employees managers members leaders others some many most several few friends allies rivals".split()
)
"""Words for a group of people that a sentence may open with ("Analysts said …"): a phrase, never a name."""
# Common given names, to tell "he" from "she"; a name in neither list leaves the pronoun free to match it.
FEMALE_NAMES = frozenset(
    "mary patricia jennifer linda elizabeth barbara susan jessica sarah karen lisa nancy betty margaret sandra ashley "
    "kimberly emily donna michelle carol amanda dorothy melissa deborah stephanie rebecca sharon laura cynthia "
    "kathleen amy angela shirley anna brenda pamela emma nicole helen samantha katherine christine debra rachel "
    "carolyn janet catherine maria heather diane ruth julie olivia joyce virginia victoria kelly lauren christina "
    "joan evelyn judith megan andrea cheryl hannah jacqueline martha gloria teresa ann sara madison frances kathryn "
    "janice jean abigail alice judy sophia grace denise amber doris marilyn danielle beverly isabella theresa diana "
    "natalie brittany charlotte marie kayla alexis lori hillary hilary nikki elise kellyanne sheryl loretta "
    "condoleezza nancy dianne kirsten tammy jeanne katie megyn ivanka melania chelsea huma donna debbie valerie "
    "carly sarah michele gretchen jill jane claire angela theresa nicola marine christine ursula federica "
    "sofia sophie lucia elena ana carmen isabel camila "
    "fatima aisha mei yuki priya anita sunita indira benazir golda hina".split()
)
MALE_NAMES = frozenset(
    "james robert john michael david william richard joseph thomas charles christopher daniel matthew anthony mark "
    "donald steven paul andrew joshua kenneth kevin brian george timothy ronald edward jason jeffrey ryan jacob gary "
    "nicholas eric jonathan stephen larry justin scott brandon benjamin samuel gregory alexander frank patrick "
    "raymond jack dennis jerry tyler aaron jose adam nathan henry douglas zachary peter kyle ethan walter noah "
    "jeremy christian keith roger terry gerald harold sean austin carl arthur lawrence dylan jesse jordan bryan "
    "billy joe bruce gabriel logan albert willie alan juan wayne elijah randy roy vincent ralph eugene russell "
    "bobby mason philip louis barack bernie ted marco jeb chris mitt mike newt rand rick ben reince bill hugh "
    "vladimir boris emmanuel francois angelo silvio xi recep benjamin bibi narendra shinzo justin jens nigel "
    "hugo anton frederick".split()
)
_ACRONYM = re.compile(r"[A-Z]{2,6}")


def is_title_word(word: str) -> bool:
    return word.lower() in TITLE_WORDS or word.lower().rstrip(".") in TITLE_WORDS


def nationality(word: str) -> bool:
    return word[:1].isupper() and word.lower().endswith(("ian", "ish", "ese", "ean", "ic", "ch"))


def gender_of(name: str) -> str | None:
    """ "f" or "m" when the name as written carries a gendered honorific ("Mrs. Clinton") or opens with a common
    given name ("Hillary Clinton"), else None."""
    first = name.split()[0].lower() if name.split() else ""
    if first in _FEMALE or first in FEMALE_NAMES:
        return "f"
    if first in _MALE or first in MALE_NAMES:
        return "m"
    return None


def is_organisation(name: str) -> bool:
    words = name.replace("\xa0", " ").split()
    if not words:
        return False
    return words[-1].lower() in ORGANISATION_WORDS or (len(words) == 1 and _ACRONYM.fullmatch(words[0]) is not None)


# Titles that name one person's office, so that a single capitalised word after one is a surname ("Mayor Lin",
# "Councilman Hale"); the modifiers among the title words ("State", "Democratic", "US") are not.
_OFFICES = frozenset(
    "president senator sen sen. governor gov gov. mayor councilman councilwoman councillor councilor alderman "
    "judge justice minister chancellor ambassador general gen gen. captain capt capt. pope king queen rep rep. "
    "representative congressman congresswoman premier secretary chairman chairwoman director professor prof "
    "prof. sheriff commissioner coach inspector detective rev rev. reverend bishop archbishop cardinal rabbi "
    "imam pastor dean principal constable superintendent colonel col col. lieutenant lt lt. sergeant sgt sgt. "
    "admiral adm adm. commander envoy".split()
)


@functools.lru_cache(maxsize=4096)
def split_title(run: str) -> tuple[str, str | None, int] | None:
    """Split "Russian President Vladimir Putin" into ("Vladimir Putin", "Russian President", offset of the name);
    an office and a surname ("Mayor Lin") into ("Lin", "Mayor", offset).

    None when the run is no person's name.
    """
    spans = [(m.start(), m.group()) for m in re.finditer(r"[^ \xa0\t\n]+", run)]
    words = [word for _, word in spans]
    cut = 0
    for index, word in enumerate(words[:-1]):
        if is_title_word(word) and word.lower() not in HONORIFICS:
            cut = index + 1
    while cut < len(words) - 1 and nationality(words[cut]) and is_title_word(words[cut + 1]):
        cut += 2
    name_words = words[cut:]
    honorific = name_words and name_words[0].lower() in HONORIFICS
    if honorific and len(name_words) == 2 and name_words[1][:1].isupper():
        return " ".join(name_words), (" ".join(words[:cut]) or None), spans[cut][0]
    if honorific:
        name_words = name_words[1:]
        cut += 1
    surname = len(name_words) == 1 and cut and not honorific and words[cut - 1].lower() in _OFFICES
    word = name_words[0] if surname else ""
    plain = not (word.isupper() or is_title_word(word))  # "Secretary General", "President GOP": no surname
    if surname and plain and word.lower().rstrip(".,") not in _NOT_PEOPLE | _STARTERS:
        return name_words[0], " ".join(words[:cut]), spans[cut][0]
    if not 2 <= len(name_words) <= 4:
        return None
    if name_words[0].lower() in _STARTERS or any(
        w.lower().rstrip(".,") in _NOT_PEOPLE or w.lower() in _FUNCTION for w in name_words
    ):
        return None
    if any(w.isupper() and len(w) > 1 for w in name_words):
        return None
    title_words = [w for w in words[:cut] if w.lower() not in {"new", "former"} and w.lower() not in HONORIFICS]
    return " ".join(name_words), (" ".join(title_words) or None), spans[cut][0]


def person_name(run: str) -> str | None:
    """The person's name in a run of capitalised words, if the run names a person."""
    split = split_title(run)
    return split[0] if split else None


def name_span(tokens: list[Token], first: int, last: int) -> tuple[int, int] | None:
    """The name inside the capitalised tokens ``first..last``: after the last title word, honorific kept.

    None when nothing but titles is left ("the President").
    """
    if tokens[last].lower.rstrip(".") in ORGANISATION_WORDS:
        return tokens[first].start, tokens[last].end  # "Democratic National Committee": an organisation, whole
    start = first
    for index in range(first, last):
        word = tokens[index].text
        if (is_title_word(word) and word.lower() not in HONORIFICS) or (
            nationality(word) and index + 1 <= last and is_title_word(tokens[index + 1].text)
        ):
            start = index + 1
    if start > last or (is_title_word(tokens[last].text) and tokens[last].lower not in HONORIFICS):
        return None
    return tokens[start].start, tokens[last].end
