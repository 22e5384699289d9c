"""Word lists the measure of a key figure is read with (:mod:`worker.analysis.figures_measure`).

Plain lower-case word sets, like the unit tables in :mod:`worker.analysis.figures_units`, so a
missed verb or cue is a one-word change. Each set is named for the part it plays in a rule.
"""

from __future__ import annotations

QUOTES = '“”"‘’«»'

DETERMINERS = frozenset(
    "the a an its their his her our your my this these those such some any each every both all"
    " another".split()
)

BOUNDARIES = frozenset(
    """that which who whom whose while whereas when where although though because if unless
    as after before said says say told according despite but so yet than
    since whether""".split()
)

# Boundaries only where they open a clause; inside a noun phrase they are kept ("trade with
# Russia", "deals signed during the visit").
SOFT_BOUNDARIES = frozenset({"with", "during"})

AUX = frozenset(
    """is are was were be been being has have had will would could should may might can do
    does did now already also still reportedly only just currently then even already
    nearly almost roughly about around approximately""".split()
)

PREPOSITIONS = frozenset(
    """in on at from for by under over into onto through across between among to via within
    without against towards toward upon amid like""".split()
)

APPROX = (
    "more than",
    "less than",
    "fewer than",
    "as much as",
    "as many as",
    "as little as",
    "up to",
    "at least",
    "at most",
    "an all-time high of",
    "a new record of",
    "a new high of",
    "a record high of",
    "a record of",
    "a record",
    "a high of",
    "a peak of",
    "a total of",
    "an estimated",
    "estimated",
    "about",
    "around",
    "nearly",
    "almost",
    "some",
    "over",
    "roughly",
    "approximately",
    "only",
    "just",
    "another",
    "a further",
    "further",
    "a",
    "an",
    "the",
)

SUBJECT_CUES = frozenset(
    """reached reaching reach reaches hit hits hitting totalled totaled totalling totaling
    totals was were is are be been exceeded exceeding exceeds surpassed surpassing topped tops
    cost costs costing averaged averages averaging amounted""".split()
)

PREP_CUES = frozenset({"to", "at", "by"})  # "rose to", "stood at", "valued at", "grew by"

# "lift trade above $240 billion": what is compared is the noun phrase before.
COMPARE_CUES = frozenset({"above", "below", "beyond", "past", "under"})

SHARE_CUES = (
    "accounting for",
    "accounts for",
    "account for",
    "accounted for",
    "making up",
    "makes up",
    "make up",
    "made up",
    "representing",
    "represents",
    "represented",
)

CHANGE_NOUNS = frozenset(
    "increase rise growth jump surge gain decline drop fall decrease cut reduction".split()
)

GENERIC_HEADS = frozenset("total sum value volume amount level figure record".split())

NUMBER_WORDS = frozenset(
    """one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen
    sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety
    hundred thousand million millions billion billions trillion bn mn tn""".split()
)

LEADING_FILLERS = frozenset(
    """of and or but together meanwhile however also moreover additionally furthermore overall
    still thus therefore instead""".split()
)

FORWARD_STOPS = frozenset(
    """of and or per worth valued than once until unless last this next year years month months
    week weeks quarter annually ago earlier later more less higher lower below above shorter
    longer bigger smaller larger long wide high deep away apart across tall old together ahead
    alone abroad overall""".split()
)

CHANGE_VERBS = frozenset(
    """rose risen rising rises grew grown growing grows fell fallen falling falls increased
    increasing increases decreased decreasing declined declining declines dropped dropping
    drops jumped jumping jumps climbed climbing climbs surged surging soared slipped slid
    shrank shrunk shrinking eased easing plunged plummeted slumped tumbled expanded
    contracted added gained lost widened narrowed cut raised lowered reduced boosted
    hiked grow rise fall increase decline drop jump climb surge slide shrink""".split()
)

TEMPORAL = frozenset(
    """january february march april may june july august september october november december
    year month week quarter time day""".split()
)

NOT_PARTICIPLES = frozenset(
    """united building shipbuilding mining banking spending trading lending financing funding
    shipping processing refining""".split()
)

# Things a length in a compound measures ("a 2,600-kilometre *pipeline*" → pipeline length).
LINEAR_THINGS = frozenset(
    """pipeline pipelines bridge bridges tunnel tunnels railway railways road roads highway
    canal cable corridor line lines route""".split()
)

# Participles without -ed that open a reduced relative after a noun ("the target *set* by
# the leaders", "the deals *signed* …" already ends in -ed).
IRREGULAR_PARTICIPLES = frozenset(
    """set made held built paid sold won lost given taken shown seen sent spent lent kept
    brought bought told laid met found known grown drawn thrown done""".split()
)

PASSIVE_AUX = frozenset("were was are is been being be".split())

TAKE_VERBS = frozenset(
    "took takes take taking had has holds held got gets captured controls controlled".split()
)

TAKE_PART = frozenset("take takes took taken taking".split())  # "3,000 troops took part"

PREDICATE_WORDS = frozenset(
    "flat unchanged steady stable little largely broadly virtually roughly level".split()
)

PERIOD_WORDS = TEMPORAL | frozenset(
    """jan feb mar apr jun jul aug sep oct nov dec first second third fourth half early late
    period""".split()
)

RAISING = frozenset("expected likely set due poised projected forecast designed going able".split())

CLAUSE_VERBS = frozenset(
    """forecasts expects expect sees see estimates predicts showed shows announced reported
    wants plans aims""".split()
)

UP_VERBS = frozenset(
    """rose risen rising rises rise increased increase increasing increases jumped jump jumping
    jumps climbed climb climbing climbs surged surge surging soared gained gain added expanded
    widened raised raise raising lifted lift lifting boosted boost boosting hiked""".split()
)

GROW_VERBS = frozenset("grew grow grown growing grows".split())

WEAKEN_VERBS = frozenset("weaken weakens weakened weakening".split())

DOWN_VERBS = frozenset(
    """fell fall fallen falling falls decreased decrease decreasing declined decline declining
    declines dropped drop dropping drops slipped slid slide sliding shrank shrunk shrink
    shrinking eased easing plunged plummeted slumped tumbled contracted narrowed lost cut
    cutting reduced reduce reducing lowered lower lowering""".split()
)

TRANSITIVE_UP = frozenset("raised raise raising lifted lift lifting boosted boost boosting".split())

TRANSITIVE_DOWN = frozenset("cut cutting reduced reduce reducing lowered lower lowering".split())

LOWER_FIRST = frozenset(
    """trade exports imports freight shipments supplies deliveries purchases sales revenues
    output production investment investments spending prices lending settlements payments
    bilateral two-way annual total overall average combined cargo""".split()
)

PAY_VERBS = frozenset("paid pays pay charged charges charge".split())

SALE_VERBS = frozenset(
    """sold sells sell bought buys buy priced prices supplied supplies supply exported exports
    imported imports offered offers delivered delivers""".split()
)

FLOW_PREPS = frozenset({"to", "from", "into"})

VERB_NOUNS = {
    "traded": "trading",
    "trades": "trading",
    "imported": "imports",
    "imports": "imports",
    "import": "imports",
    "exported": "exports",
    "exports": "exports",
    "export": "exports",
    "supplied": "supplies",
    "supplies": "supplies",
    "supply": "supplies",
    "shipped": "shipments",
    "ships": "shipments",
    "ship": "shipments",
    "sold": "sales",
    "sells": "sales",
    "sell": "sales",
    "bought": "purchases",
    "buys": "purchases",
    "buy": "purchases",
    "purchased": "purchases",
    "produced": "output",
    "produces": "output",
    "produce": "output",
    "delivered": "deliveries",
    "delivers": "deliveries",
    "deliver": "deliveries",
    "carry": "flows",
    "carries": "flows",
    "carried": "flows",
    "pumped": "flows",
    "transported": "transport",
}

PERIOD_LEAD = frozenset(
    """in the past last next over for during within previous first fact time coming recent
    of after""".split()
)

PRONOUNS = frozenset("it he she they we i you this that there".split())
# Pronouns that stand as a clause's subject: they name no one in a label.
SUBJECT_PRONOUNS = frozenset("it he she they we i you".split())

SCALE_WORDS = frozenset("thousand million millions billion billions trillion bn mn tn".split())

FALLBACK_SKIP = (
    PRONOUNS | DETERMINERS | AUX | PREPOSITIONS | SCALE_WORDS | {"of", "and", "per", "cent"}
)

RIGHT_LINKS = frozenset({"after", "since", "before", "ago", "of"})

EXTEND_VERBS = frozenset(
    "extend extends extended extending renew renewed prolong prolonged".split()
)

# Verbs whose object, not subject, is what changed: "lifting deliveries to …", "cut rates by …".
TRANSITIVE_CHANGE = frozenset(
    """lifting lifted lift lifts raising raised raise raises boosting boosted boost boosts
    bringing brought bring brings taking took take takes cutting cut cuts pushing pushed
    push pushes lowering lowered lower reducing reduced reduce increasing increased
    expanding expanded held holds holding kept keeps keeping left leaves put puts putting
    estimated estimates estimating pegged pegs""".split()
)

LINK_VERBS = frozenset("stood stands standing amounted amounts amounting came comes".split())

CONTEXT_PREPS = frozenset({"in", "at", "during", "on", "to", "for", "into", "from", "across"})

EXTENT_VERBS = {
    "stretches": "length",
    "stretch": "length",
    "stretching": "length",
    "spans": "length",
    "span": "length",
    "spanning": "length",
    "runs": "length",
    "run": "length",
    "running": "length",
    "extends": "length",
    "extend": "length",
    "extending": "length",
    "measures": "size",
    "covers": "area",
    "weighs": "weight",
}

COMPARATIVES = frozenset("below above under over higher lower cheaper dearer".split())

DISTANCE_UNITS_AFTER = frozenset({"from", "off", "away"})

SPANS = TEMPORAL | frozenset("lifetime life period decade term course".split())

FLOW_VERBS = frozenset(
    """add adds cost costs carry carries move moves supply supplies deliver delivers produce
    produces generate generates export exports import imports ship ships sell sells buy buys
    pay pays spend spends invest invests lend lends need needs hold holds employ employs
    receive receives get gets take takes make makes""".split()
)

Y_ON_Y = frozenset({"a year earlier", "a year ago", "a year before", "same period", "last year"})

# A word a label cannot end on: "Brent crude futures traded near $64".
DANGLING = (
    PREPOSITIONS | DETERMINERS | frozenset("near and or of to than that which with during".split())
)

# A verb left at the end of a label, as the noun of what it measures: "a line that would carry
# 50 bcm a year" is the line's capacity; "the route will add 10 bcm" is the route's supply.
VERB_HEADS = {
    "carry": "capacity",
    "carries": "capacity",
    "move": "capacity",
    "moves": "capacity",
    "handle": "capacity",
    "handles": "capacity",
    "transport": "capacity",
    "add": "supply",
    "adds": "supply",
    "traded": "price",
    "trades": "price",
    # "guests spend $592", "the foundation gave $5 million", "they owe $27,000"
    "spend": "spending",
    "spends": "spending",
    "spent": "spending",
    "gave": "donations",
    "give": "donations",
    "gives": "donations",
    "owe": "debt",
    "owes": "debt",
    "owed": "debt",
    "received": "receipts",
    "receive": "receipts",
    "receives": "receipts",
    "won": "winnings",
}

# "The company plans to invest 1.6 trillion rubles": its planned investment.
INTENT_VERBS = frozenset("plans plan planned aims aim intends intend wants want".split())
