"""Realistic patient queries and the page each should find in its top three results.

Based on the content pack in content/: (query, kind, slug), kind being "procedure"
(a guide), "condition" or "specialty". Used by tests/test_search.py and bench/search.py.
This is the tuning set: careatlas/search/synonyms.py was written with these queries in view.
tests/search_queries_heldout.py holds queries it never saw, checked by the same test.
"""

SEARCH_QUERIES: list[tuple[str, str, str]] = [
    # Typos
    ("osteopatic manipulaton", "procedure", "osteopathic-manual-treatment"),
    ("chiropracter", "procedure", "chiropractic-manipulation"),
    ("knee replacment", "procedure", "total-knee-replacement"),
    ("hip replacment", "procedure", "total-hip-replacement"),
    ("acupunture", "procedure", "acupuncture"),
    ("catarct surgery", "procedure", "cataract-surgery"),
    ("siatica", "condition", "sciatica"),
    ("colonscopy", "procedure", "colonoscopy"),
    ("masage therapy", "procedure", "massage-therapy"),
    ("epidurel injection", "procedure", "epidural-steroid-injection"),
    # Abbreviations
    ("OMT", "procedure", "osteopathic-manual-treatment"),
    ("DO", "procedure", "osteopathic-manual-treatment"),
    ("PT", "procedure", "physical-therapy"),
    ("TKR", "procedure", "total-knee-replacement"),
    ("EGD", "procedure", "upper-endoscopy"),
    ("ESI", "procedure", "epidural-steroid-injection"),
    ("GERD", "condition", "gastroesophageal-reflux-disease"),
    ("CTS", "condition", "carpal-tunnel-syndrome"),
    ("98929", "procedure", "osteopathic-manual-treatment"),
    # Synonyms and everyday words
    ("chiro", "procedure", "chiropractic-manipulation"),
    ("back adjustment", "procedure", "chiropractic-manipulation"),
    ("physio", "procedure", "physical-therapy"),
    ("physical therapist", "procedure", "physical-therapy"),
    ("osteopath", "procedure", "osteopathic-manual-treatment"),
    ("deep tissue massage", "procedure", "massage-therapy"),
    ("needles for back pain", "procedure", "acupuncture"),
    ("joint replacement", "procedure", "total-hip-replacement"),
    ("cortisone shot back", "procedure", "epidural-steroid-injection"),
    ("acid reflux scope", "procedure", "upper-endoscopy"),
    ("colonoscopy prep", "procedure", "colonoscopy"),
    ("orthopedic surgery", "specialty", "orthopaedic-surgery"),
    ("bone doctor", "specialty", "orthopaedic-surgery"),
    ("eye doctor", "specialty", "ophthalmology"),
    ("gastroenterologist", "specialty", "gastroenterology"),
    # Conditions, and the guides that treat them
    ("back pain", "condition", "low-back-pain"),
    ("back pain", "procedure", "physical-therapy"),
    ("lumbago", "condition", "low-back-pain"),
    ("lower back pain", "condition", "low-back-pain"),
    ("stiff neck", "condition", "neck-pain"),
    ("tension headache", "condition", "tension-type-headache"),
    ("spinal stenosis", "condition", "lumbar-spinal-stenosis"),
    ("pinched nerve", "condition", "sciatica"),
    ("knee arthritis", "condition", "knee-osteoarthritis"),
    ("hip arthritis", "condition", "hip-osteoarthritis"),
    ("cloudy lens", "condition", "cataract"),
    ("heartburn", "condition", "gastroesophageal-reflux-disease"),
    ("indigestion", "condition", "dyspepsia"),
    ("colon cancer screening", "condition", "colorectal-cancer-screening"),
    ("numb fingers wrist", "condition", "carpal-tunnel-syndrome"),
    ("carpal tunnel surgery", "procedure", "carpal-tunnel-release"),
    # Partial words
    ("colonos", "procedure", "colonoscopy"),
    ("acupunc", "procedure", "acupuncture"),
    ("endosc", "procedure", "upper-endoscopy"),
    ("phys therapy", "procedure", "physical-therapy"),
    # Case and accents
    ("CHIROPRACTIC", "procedure", "chiropractic-manipulation"),
    ("physícal thérapy", "procedure", "physical-therapy"),
    ("Cataract Surgery", "procedure", "cataract-surgery"),
]
