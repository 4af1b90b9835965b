"""Held-out Spanish queries: how Spanish-speaking patients type, judged, never tuned on.

Written before the Spanish names were tuned, from how people phrase things, not from
content/names/es.yaml: no query here is, once folded, a Spanish name or synonym of the pack
or a query of the Spanish feature tests (tests/test_search_spanish.py checks that). Do not
add these phrases to the names file to make one pass: a miss is a finding about how Spanish
search generalises. Same shape as tests/search_queries_heldout.py: (query, kind, slug) that
should be in the top three of a search under /es/.
"""

HELD_OUT_SPANISH_QUERIES: list[tuple[str, str, str]] = [
    # Everyday words and phrases
    ("me duele la espalda", "condition", "low-back-pain"),
    ("dolor en la parte baja de la espalda", "condition", "low-back-pain"),
    ("ESPALDA BAJA", "condition", "low-back-pain"),
    ("cambio de rodilla", "procedure", "total-knee-replacement"),
    ("rodilla artificial", "procedure", "total-knee-replacement"),
    ("reemplazo de cadera", "procedure", "total-hip-replacement"),
    ("colonoscopia de rutina", "procedure", "colonoscopy"),
    ("prueba para cáncer de colon", "procedure", "colonoscopy"),
    ("operación de los ojos", "procedure", "cataract-surgery"),
    ("cataratas en los ojos", "condition", "cataract"),
    ("fisioterapia para la espalda", "procedure", "physical-therapy"),
    ("terapia física para el cuello", "procedure", "physical-therapy"),
    ("acupuntura para el dolor", "procedure", "acupuncture"),
    ("masaje para la espalda", "procedure", "massage-therapy"),
    ("agruras después de comer", "condition", "gastroesophageal-reflux-disease"),
    ("acidez", "condition", "gastroesophageal-reflux-disease"),
    ("dolor de estómago", "condition", "dyspepsia"),
    ("úlcera en el estómago", "condition", "peptic-ulcer"),
    ("sangre al ir al baño", "condition", "blood-in-stool"),
    ("hormigueo en la mano", "condition", "carpal-tunnel-syndrome"),
    ("dolor que baja a la pierna", "condition", "sciatica"),
    ("inyección en la espalda", "procedure", "epidural-steroid-injection"),
    ("infiltración lumbar", "procedure", "epidural-steroid-injection"),
    ("médico para los huesos", "specialty", "orthopaedic-surgery"),
    ("especialista del estómago", "specialty", "gastroenterology"),
    ("endoscopia del estómago", "procedure", "upper-endoscopy"),
    ("artritis en la rodilla", "condition", "knee-osteoarthritis"),
    ("dolor de cuello y hombros", "condition", "neck-pain"),
    ("dolor de cabeza por tensión", "condition", "tension-type-headache"),
    ("estenosis lumbar", "condition", "lumbar-spinal-stenosis"),
    # Typos, missing accents and partial words
    ("quiropratico", "specialty", "chiropractic"),
    ("kiropractico", "specialty", "chiropractic"),
    ("colonoscpia", "procedure", "colonoscopy"),
    ("fisoterapia", "procedure", "physical-therapy"),
    ("ostiopata", "specialty", "osteopathic-medicine"),
    ("lunbalgia", "condition", "low-back-pain"),
    ("quiroprac", "specialty", "chiropractic"),
    ("cirugia de catarata", "procedure", "cataract-surgery"),
]

# Held-out queries Spanish search does not answer yet, and what it gives instead (the test
# marks them xfail, strict: one that starts passing must leave this list).
KNOWN_SPANISH_MISSES: dict[str, str] = {
    "cataratas en los ojos": "only Ophthalmology comes back: 'ojos' is in no Spanish word of"
    " the cataract page, whose summary is still English",
    "dolor de cuello y hombros": "only acupuncture comes back: every word must match, and only"
    " the acupuncture guide names both neck pain and shoulder pain",
    # Since the Spanish guide bodies landed, long guides hold every word of these queries
    # ('duele', 'cambio', 'hormigueo', 'inyección' in their prose), so they match in full while
    # the expected page matches only partly and is no longer reached by the partial fallback.
    "me duele la espalda": "acupuncture and OMT come back: their Spanish text has 'duele' and"
    " 'espalda'; the low back pain page has no 'duele'",
    "cambio de rodilla": "physical therapy and acupuncture come back: their Spanish text has"
    " 'cambio' and 'rodilla'; knee replacement's words never say 'cambio'",
    "hormigueo en la mano": "only acupuncture comes back: its Spanish text has both words;"
    " the carpal tunnel page is English under /es/ and its Spanish names lack 'hormigueo'",
    "inyección en la espalda": "physical therapy and acupuncture come back: their Spanish"
    " text has both words; the epidural injection guide is not translated yet",
}

# Misses on one database only: (vendor, reason). No page has every word, so pages with some of
# them are ranked by the backend's own text relevance (bm25 or ts_rank), where they differ.
KNOWN_SPANISH_MISSES_ON: dict[str, tuple[str, str]] = {
    "especialista del estómago": (
        "sqlite",
        "Pain Medicine, dyspepsia and ulcer come back: 'especialista' is only in Pain"
        " Medicine's synonyms, and Gastroenterology's say 'médico del estómago'",
    ),
}
