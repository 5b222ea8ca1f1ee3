"""Multilingual cue lexicons for the rule-based monitoring detectors.

Each cue is a named feature (it becomes a key of a finding's explanation)
with regular-expression fragments per language, written against *folded*
text (``accord.monitoring.text.fold``): lower case; Arabic without vowel
marks, with bare alef, ``ه`` for teh marbuta and ``ي`` for alef maqsura;
Cyrillic ``е`` for ``ё`` and ``и`` for ``й``; Latin without accents. A
fragment matches from a word start and may be a stem (``church`` also finds
``churches``); end it with ``\\b`` to require the whole word.

The cues describe *forms* (an imperative to kill, a request to donate, a
recipe) rather than topics, because topic words (ISIS, jihad, Syria) are
just as frequent in news and counter-speech: the hard negatives that sink
topic-based filters.
"""

from __future__ import annotations

Cue = dict[str, tuple[str, ...]]

GROUP_REFERENCE: Cue = {
    "en": (
        r"khilaf",
        r"caliphate",
        r"islamic state\b",
        r"dawlah?\b",
        r"mujahid",
        r"soldiers of the (khilafah|caliphate)",
        r"amaq\b",
    ),
    "ar": (r"الدوله الاسلاميه", r"الخلافه", r"المجاهدين", r"جنود الخلافه", r"اعماق"),
    "ru": (r"халифат", r"исламское государство", r"моджахед", r"муджахид"),
    "fr": (r"califat", r"etat islamique", r"moudjahid", r"soldats du califat"),
}

ATTACK_VERBS_EN = r"(kill|slaughter|behead|stab|attack|strike|bomb|burn|shoot|massacre)"
IMPERATIVE_VIOLENCE: Cue = {
    "en": (
        ATTACK_VERBS_EN + r"\s+(them|him|her|every|any|all|those|these|each)\b",
        r"(you|we|brothers|muslims) (must|should|have to|need to|shall) "
        + ATTACK_VERBS_EN,
        r"(go|rise|get up|come out)( up)?,? (and|to) " + ATTACK_VERBS_EN,
        r"(run|mow) (them )?(over|down)\b",
        r"lone wol(f|ves)\b.{0,40}\b(rise|strike|attack|act)",
    ),
    "ar": (
        r"اقتلو",
        r"اقتلهم",
        r"اذبحو",
        r"اضربو",
        r"هاجمو",
        r"فجرو",
        r"اطعنو",
        r"احرقو",
        r"اغزو",
        r"ادهسو",
    ),
    "ru": (
        r"убиваите\b",
        r"убеите\b",
        r"убеи\b",
        r"режьте\b",
        r"взрываите\b",
        r"атакуите\b",
        r"нападаите\b",
        r"жгите\b",
        r"стреляите\b",
        r"давите\b",
        r"уничтожаите\b",
    ),
    "fr": (
        r"tuez\b",
        r"tuez-les\b",
        r"egorgez\b",
        r"attaquez\b",
        r"frappez\b",
        r"ecrasez\b",
        r"brulez\b",
        r"poignardez\b",
        r"massacrez\b",
        r"faites-les sauter\b",
    ),
}

TARGET_TYPE: Cue = {
    "en": (
        r"church",
        r"synagogue",
        r"christmas market",
        r"market",
        r"stadium",
        r"concert",
        r"festival",
        r"parade",
        r"(train|railway|bus|metro|subway|police) station",
        r"airport",
        r"embass",
        r"police officer",
        r"soldiers\b",
        r"crowds?\b",
        r"tourists\b",
        r"nightclub",
        r"shopping (centre|center|mall)",
        r"power (plant|station)",
        r"pipeline",
        r"parliament",
        r"bridge\b",
    ),
    "ar": (
        r"كنيس",
        r"كنائس",
        r"اسواق",
        r"سوق\b",
        r"ملعب",
        r"حفل",
        r"مهرجان",
        r"محطه",
        r"مطار",
        r"مترو",
        r"سفار",
        r"الشرطه",
        r"الجنود",
        r"حشود",
        r"السياح",
        r"البرلمان",
        r"جسر",
    ),
    "ru": (
        r"церк",
        r"синагог",
        r"рын(ок|ке|ки)",
        r"стадион",
        r"концерт",
        r"фестивал",
        r"парад",
        r"вокзал",
        r"аэропорт",
        r"метро\b",
        r"посольств",
        r"полицеи",
        r"солдат",
        r"толп",
        r"турист",
        r"торгов(ыи|ом|ых) центр",
        r"электростанци",
        r"парламент",
        r"мост",
    ),
    "fr": (
        r"eglise",
        r"synagogue",
        r"marche de noel",
        r"stade",
        r"concert",
        r"festival",
        r"defile",
        r"gare\b",
        r"aeroport",
        r"ambassade",
        r"policiers\b",
        r"soldats\b",
        r"foule",
        r"touristes\b",
        r"boite de nuit",
        r"centre commercial",
        r"centrale",
        r"parlement",
    ),
}

ADDRESS: Cue = {
    "en": (
        r"\d{1,4},? [a-z][a-z'-]+ (street|st|road|rd|avenue|ave|lane|ln|boulevard|square)\b",
    ),
    "ar": (r"شارع \w+", r"ميدان \w+"),
    "ru": (r"(улица|ул\.|проспект|пр-т|площадь) \w+",),
    "fr": (
        r"\d{1,4},? (rue|avenue|boulevard|bd|place) \w+",
        r"(rue|avenue) (de |du |des )",
    ),
}

JOIN_CALL: Cue = {
    "en": (
        r"join (us|the (caravan|ranks|mujahid|brothers|khilaf|caliphate|islamic state))",
        r"(make|perform) hij?rah?",
        r"hij?rah? to\b",
        r"(pledge|give) (your )?(allegiance|bay'?ah)",
        r"we need (brothers|fighters|doctors|engineers|you)\b",
        r"come to the land of",
    ),
    "ar": (r"انفرو", r"التحقو", r"الحقوا بركب", r"هاجرو", r"بايعو", r"انضمو"),
    "ru": (
        r"присоединяитесь",
        r"вступаите",
        r"(совершите|совершаите) хиджр",
        r"присягните",
        r"принесите присягу",
        r"байат",
    ),
    "fr": (
        r"rejoignez",
        r"faites (la )?hij?ra",
        r"hij?ra vers",
        r"(pretez|faites) allegeance",
        r"nous avons besoin de (freres|combattants|medecins)",
    ),
}

CONTACT_CHANNEL: Cue = {
    "en": (
        r"contact (us|me|the brothers?)",
        r"(dm|message|write to) (us|me)\b",
        r"threema",
        r"wickr",
        r"(on|via) telegram",
        r"private message",
    ),
    "ar": (r"تواصلو", r"راسلونا", r"للتواصل"),
    "ru": (r"пишите (нам|мне|в)", r"свяжитесь", r"в личку", r"для связи"),
    "fr": (r"contactez", r"ecrivez-(nous|moi)", r"en prive"),
}

DONATION_APPEAL: Cue = {
    "en": (
        r"donat",
        r"support the (mujahid|brothers|sisters|widows|prisoners|families)",
        r"send (money|funds|btc|bitcoin|crypto|usdt)",
        r"sadaq",
        r"zakat",
        r"jihad (with|of|by) (your )?(wealth|money)",
        r"equip a (fighter|mujahid|brother)",
        r"fundrais",
    ),
    "ar": (
        r"تبرعو",
        r"التبرع",
        r"ادعمو",
        r"جهاد المال",
        r"الجهاد بالمال",
        r"تجهيز غاز",
        r"جهزو",
    ),
    "ru": (
        r"пожертв",
        r"поддержите",
        r"сбор средств",
        r"садак",
        r"закят",
        r"снарядите",
    ),
    "fr": (r"faites un don", r"dons\b", r"soutenez", r"cagnotte", r"sadaqa", r"zakat"),
}

PAYMENT_HANDLE: Cue = {
    "en": (
        r"paypal",
        r"western union",
        r"moneygram",
        r"cash ?app",
        r"bitcoin",
        r"\bbtc\b",
        r"usdt",
        r"monero",
        r"wallet",
    ),
    "ar": (r"بيتكوين", r"محفظه", r"حواله"),
    "ru": (r"qiwi", r"киви", r"юмани", r"кошел", r"биткоин", r"карт[ау] сбер"),
    "fr": (r"portefeuille", r"virement", r"mandat cash"),
}

WEAPON_OR_EXPLOSIVE: Cue = {
    "en": (
        r"explosive",
        r"tatp\b",
        r"acetone peroxide",
        r"ammonium nitrate",
        r"pipe ?bomb",
        r"detonator",
        r"\bied\b",
        r"suicide (vest|belt)",
        r"molotov",
        r"pressure cooker",
        r"fertili[sz]er bomb",
        r"kalashnikov",
        r"ak-?47",
        r"ammunition",
        r"silencer",
    ),
    "ar": (
        r"عبوه ناسفه",
        r"عبوات",
        r"متفجر",
        r"صاعق",
        r"حزام ناسف",
        r"نترات",
        r"كلاشن",
        r"ذخير",
        r"قنبل",
    ),
    "ru": (
        r"взрывчатк",
        r"взрывное устроиств",
        r"детонатор",
        r"селитр",
        r"тротил",
        r"пояс шахида",
        r"самодельн",
        r"калашников",
        r"боеприпас",
        r"бомб",
    ),
    "fr": (
        r"explosif",
        r"detonateur",
        r"nitrate d'ammonium",
        r"engin explosif",
        r"ceinture d'explosifs",
        r"bombe",
        r"kalachnikov",
        r"munitions",
    ),
}

INSTRUCTIONAL_FORM: Cue = {
    "en": (
        r"how to (make|build|prepare|assemble|use|mix)",
        r"step \d",
        r"instructions",
        r"recipe",
        r"ingredients",
        r"you will need",
        r"\d+ ?(grams|g|ml|litres?|liters?)\b",
        r"tutorial",
    ),
    "ar": (r"طريقه (صنع|تحضير)", r"كيفيه", r"الخطوه", r"المكونات", r"غرام", r"دليل"),
    "ru": (
        r"как (сделать|изготовить|собрать)",
        r"инструкци",
        r"шаг \d",
        r"ингредиент",
        r"грамм",
        r"руководств",
        r"пошагов",
    ),
    "fr": (
        r"comment (fabriquer|faire|preparer)",
        r"etape \d",
        r"instructions",
        r"ingredients",
        r"grammes",
        r"tutoriel",
    ),
}

CUES: dict[str, Cue] = {
    "group_reference": GROUP_REFERENCE,
    "imperative_violence": IMPERATIVE_VIOLENCE,
    "target_type": TARGET_TYPE,
    "address": ADDRESS,
    "join_call": JOIN_CALL,
    "contact_channel": CONTACT_CHANNEL,
    "donation_appeal": DONATION_APPEAL,
    "payment_handle": PAYMENT_HANDLE,
    "weapon_or_explosive": WEAPON_OR_EXPLOSIVE,
    "instructional_form": INSTRUCTIONAL_FORM,
}
