"""Every automatic check on reviews and replies: what it flags, and what it leaves alone."""

import pytest

from careatlas.reviews.screening import burst_flags, fingerprint, screen

DANA = ("Dana Reyes",)

FLAGGED = [
    ("email", "Write to me at pat.morgan+care@example.net if you have questions"),
    ("email", "pat (at) example (dot) net"),
    ("phone", "Call the front desk on (212) 555-0101, they are kind"),
    ("phone", "Her cell is 212.555.0199"),
    ("phone", "Ring +1 212 555 0101 for a second opinion"),
    ("phone", "Their direct line 555-0142 never answers"),
    ("url", "Read my blog at https://blog.example/posts/1"),
    ("url", "More at www.example.org"),
    ("url", "See spine-truths.com for the real story"),
    ("profanity", "This place is shit"),
    ("profanity", "What a bunch of assholes"),
    ("profanity", "Total sh1t service"),
    ("profanity", "Worst. Motherfucker. Ever."),
    ("full_name", "Nurse Maria Lopez was rude to my mother"),
    ("full_name", "I came in with Robert Kowalski, my neighbour"),
    ("full_name", "Dr Reyes is fine but Linda Chu at the front desk is not"),
    ("all_caps", "THE WORST OFFICE I HAVE EVER BEEN TO, AVOID"),
    ("record_number", "My MRN is on the form they gave me"),
    ("record_number", "They lost my member ID twice"),
    ("record_number", "Chart 48213379 was mixed up with someone else's"),
    ("record_number", "Insurance card XEH123456789 was refused"),
    ("record_number", "They wrote my SSN 123-45-6789 on the receipt"),
    ("record_number", "Policy number W2345-67890 was wrong on the bill"),
]

CLEAN = [
    "Dr Reyes listened and explained the options clearly. The wait was short.",
    "Dr. Dana Reyes was thorough; Dana Reyes also called back the next day.",
    "I waited 20 minutes. The MRI took 45 minutes and cost $150 in 2024.",
    "After my colonoscopy the rectum felt sore for a day; they warned me. Viagra was discussed.",
    "Grace Hospital sent my results on Monday March 3 and Dr. Reyes went through them.",
    "The office is on the 3rd floor, suite 210, opposite the pharmacy.",
    "Explained e.g. the risks and the recovery time. The MRI and the ECG were quick.",
    "The doctor's assistant was kind. 10/10 would recommend. Open 8-5.",
    "She said my ankle would heal in 6-8 weeks, and it did.",
    "Passed my exam! Thanks to the team.",
    "",
]


@pytest.mark.parametrize(("rule", "text"), FLAGGED, ids=[f"{r}: {t[:30]}" for r, t in FLAGGED])
def test_each_rule_flags_what_it_is_for(rule, text):
    assert rule in {flag.rule for flag in screen(text, allowed_names=DANA)}


@pytest.mark.parametrize("text", CLEAN, ids=[t[:40] or "empty" for t in CLEAN])
def test_ordinary_reviews_pass_every_check(text):
    assert screen(text, allowed_names=DANA) == []


def test_the_practitioner_may_be_named_but_not_as_someone_else():
    assert screen("Dana Reyes was great", allowed_names=DANA) == []
    assert [f.rule for f in screen("Dana Reyes was great")] == ["full_name"]


def test_a_flag_says_what_was_found_for_the_moderator():
    [flag] = screen("Call (212) 555-0101 please")
    assert flag.as_json() == {"rule": "phone", "detail": "(212) 555-0101"}


def test_an_email_is_one_flag_not_also_a_web_address():
    assert [f.rule for f in screen("mail pat@example.net")] == ["email"]


def test_a_few_capital_words_are_not_shouting():
    assert screen("The MRI and the ECG at NYU were fine") == []
    assert screen("GREAT DOCTOR") == []  # too short to be shouting


REPLY_FLAGGED = [
    "Thank you for your visit on Monday.",
    "We are sorry your appointment ran late.",
    "We hope your treatment is going well.",
    "We reviewed your records and your chart is correct.",
    "As your doctor I disagree.",
    "We saw you twice last month.",
    "When you came in we were short-staffed.",
]


@pytest.mark.parametrize("text", REPLY_FLAGGED)
def test_a_reply_may_not_confirm_the_reviewer_is_a_patient(text):
    assert {f.rule for f in screen(text, is_reply=True)} == {"confirms_patient"}


def test_a_reply_may_not_use_the_reviewers_chosen_name():
    flags = screen("Thank you, Pat M., for the kind words.", is_reply=True, reviewer_name="Pat M.")
    assert [f.rule for f in flags] == ["confirms_patient"]


def test_a_general_reply_passes():
    text = "Thank you for the kind words. Anyone with questions can call the office."
    assert screen(text, is_reply=True, reviewer_name="Pat M.") == []


def test_a_review_may_talk_of_its_own_visit():
    assert screen("Your appointment system works, my visit was on time.") == []


def test_replies_get_the_same_checks_as_reviews():
    flags = screen("Call us on 212-555-0101, Linda Chu will help", is_reply=True)
    assert {f.rule for f in flags} == {"phone", "full_name"}


def test_a_burst_is_the_nth_review_from_one_browser(settings):
    settings.REVIEW_BURST_COUNT = 3
    assert burst_flags(0) == [] and burst_flags(1) == []
    assert [f.rule for f in burst_flags(2)] == ["burst"]


def test_the_fingerprint_is_keyed_and_never_holds_the_address(settings):
    first = fingerprint("203.0.113.7", "Firefox")
    assert "203.0.113.7" not in first and len(first) == 64
    assert first == fingerprint("203.0.113.7", "Firefox")
    assert first != fingerprint("203.0.113.7", "Chrome")
    settings.SECRET_KEY = "another-key-" * 4
    assert first != fingerprint("203.0.113.7", "Firefox")
