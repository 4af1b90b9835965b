"""Edit distance and how many typos a word may carry: shared by the search and the gazetteer."""

LETTERS = "abcdefghijklmnopqrstuvwxyz"


def edit_distance(a: str, b: str, limit: int) -> int:
    """Damerau-Levenshtein (optimal string alignment) distance, or limit + 1 once over it."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, start=1):
            cost = 0 if ca == cb else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


def allowed_typos(word: str) -> int:
    """How many edits a word of this length may carry and still be corrected."""
    if len(word) < 4:
        return 0
    return 1 if len(word) <= 5 else 2


def one_edit(word: str, letters: str = LETTERS) -> set[str]:
    """Every string one deletion, swap, replacement or insertion away from `word`.

    Trigrams cannot link short words whose middle letters are swapped ("signh" and
    "singh" share none), so short words are also looked up by their neighbours.
    """
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    return {
        *(a + b[1:] for a, b in splits if b),
        *(a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1),
        *(a + c + b[1:] for a, b in splits if b for c in letters),
        *(a + c + b for a, b in splits for c in letters),
    } - {word}
