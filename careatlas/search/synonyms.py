"""Words patients type, mapped to the words the guides use.

The content pack already carries each procedure's and condition's own synonyms and
abbreviations; this table only adds everyday words for whole fields (specialists,
body parts, US/UK spellings) that no single guide should have to list.
Keys and values are folded (lower case, no accents); a value may be a phrase.
"""

SYNONYMS: dict[str, tuple[str, ...]] = {
    # Who does it
    "osteopath": ("osteopathic",),
    "osteopathy": ("osteopathic",),
    "chiro": ("chiropractic",),
    "chiropractor": ("chiropractic",),
    "pt": ("physical therapy",),
    "physio": ("physical therapy",),
    "physiotherapy": ("physical therapy",),
    "physiotherapist": ("physical therapy",),
    "physical therapist": ("physical therapy",),
    "massage therapist": ("massage therapy",),
    "masseuse": ("massage therapy",),
    "acupuncturist": ("acupuncture",),
    "ortho": ("orthopaedic",),
    "orthopedic": ("orthopaedic",),
    "orthopedics": ("orthopaedic",),
    "orthopedist": ("orthopaedic",),
    "bone doctor": ("orthopaedic",),
    "eye doctor": ("ophthalmology",),
    "ophthalmologist": ("ophthalmology",),
    "gi": ("gastroenterology",),
    "gastroenterologist": ("gastroenterology",),
    "stomach doctor": ("gastroenterology",),
    "pain doctor": ("pain medicine",),
    "pain specialist": ("pain medicine",),
    # What it is called at the counter
    "scope": ("endoscopy", "colonoscopy"),
    "egd": ("upper endoscopy",),
    "tkr": ("total knee replacement",),
    "tka": ("total knee replacement",),
    "thr": ("total hip replacement",),
    "tha": ("total hip replacement",),
    "knee arthroplasty": ("knee replacement",),
    "hip arthroplasty": ("hip replacement",),
    "joint replacement": ("knee replacement", "hip replacement"),
    "esi": ("epidural steroid injection",),
    "cortisone shot": ("steroid injection",),
    "spine injection": ("epidural",),
    "back injection": ("epidural",),
    # Where it hurts
    "backache": ("back pain",),
    "bad back": ("back pain",),
    "sore back": ("back pain",),
    "lower back": ("low back",),
}

# Abbreviations that are also everyday words: expanded only when typed in capitals
# ("DO" the doctor, not "what do I do") or as the whole query.
CAPITALISED_ABBREVIATIONS: dict[str, tuple[str, ...]] = {
    "do": ("osteopathic",),
}

LONGEST_KEY = max(len(key.split()) for key in SYNONYMS)
