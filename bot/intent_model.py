"""What the asker wants the app to do, by example: many phrasings per app feature (written as data
in knowledge/intents.yaml from what each feature does), compared with the question as character
bigrams and as sound bigrams (pinyin, so a voice-input slip still matches), TF-IDF cosine.

The policy questions of the index (paraphrases and FAQ phrasings) and a list of requests for
services the app does not offer (挂号, 火车票, 交电费) are the counter-examples: a question is an
app request only when it is nearer to an app example than to any of them. The two thresholds are
fit on the tune half (`python -m bot fit`), knowledge/ranker.yaml."""

from __future__ import annotations

import math
import re
from array import array
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from bot.bm25 import Postings
from bot.text import char_sound

OTHER = ""  # the label of the policy questions (counter-examples)
ELSEWHERE = "not_app"  # services we do not offer and chat (counter-examples; also a refusal cue)
SOUND_WEIGHT = 0.6  # a bigram that only sounds the same counts for less than one typed the same
MAX_DF = 0.08  # bigrams in more than this share of the examples say nothing (我要, 一下)
_CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")


def features(text: str) -> Counter[str]:
    """Character bigrams and fuzzy-sound bigrams inside each run of Chinese characters (a single
    character run counts as itself, so 饭 alone still says something)."""
    out: Counter[str] = Counter()
    for run in _CJK_RUN.findall(text):
        if len(run) == 1:
            out[run] += 1
            continue
        sounds = [char_sound(ch) for ch in run]
        for i in range(len(run) - 1):
            out[run[i : i + 2]] += 1
            out["~" + sounds[i] + sounds[i + 1]] += 1
    return out


@dataclass
class IntentScores:
    best: str  # the app feature nearest to the question ("" when none is near)
    score: float  # cosine to its nearest examples
    other: float  # cosine to the nearest counter-example
    elsewhere: float = 0.0  # cosine to the nearest request for something we do not offer
    policy: float = 0.0  # cosine to the nearest policy question

    @property
    def margin(self) -> float:
        return self.score - self.other


@dataclass
class IntentModel:
    labels: list[str] = field(default_factory=list)
    # feature → (example, weight); a feature has postings exactly when it has an idf
    postings: Postings = field(default_factory=Postings)
    idfs: array[float] = field(default_factory=lambda: array("d"))  # by the postings' row
    unseen_idf: float = 1.0  # what a feature no example holds weighs in the question's norm
    common: set[str] = field(default_factory=set)  # features too common to say anything
    # Words that say when, not what (今天, 下午): every feature is asked for with them, so they
    # tell the features apart no better than chance and only make "今天股票怎么样" look like one.
    ignored: tuple[str, ...] = ()

    @classmethod
    def build(
        cls,
        examples: dict[str, list[str]],
        others: Iterable[str],
        rewrite: object = None,
        elsewhere: Iterable[str] = (),
        ignored: Iterable[str] = (),
    ) -> IntentModel:
        ignore = tuple(sorted(set(ignored), key=len, reverse=True))
        texts: list[str] = []
        labels: list[str] = []
        for name, phrasings in examples.items():
            for text in phrasings:
                texts.append(text)
                labels.append(name)
        for text in others:
            texts.append(text)
            labels.append(OTHER)
        for text in elsewhere:
            texts.append(text)
            labels.append(ELSEWHERE)
        if callable(rewrite):
            texts = [rewrite(t) for t in texts]
        counted = [features(_without(t, ignore)) for t in texts]
        df: Counter[str] = Counter()
        for c in counted:
            df.update(c.keys())
        n = max(len(counted), 1)
        idf = {f: math.log(n / d) for f, d in df.items() if d <= MAX_DF * n}
        common = {f for f in df if f not in idf}
        postings: dict[str, list[tuple[int, float]]] = {}
        for i, c in enumerate(counted):
            vec = _weigh(c, idf)
            for f, w in vec.items():
                postings.setdefault(f, []).append((i, w))
        packed = Postings.pack(postings.items())
        return cls(
            labels=labels,
            postings=packed,
            idfs=array("d", (idf[f] for f in packed.rows)),
            unseen_idf=math.log(n),
            common=common,
            ignored=ignore,
        )

    def score(self, text: str) -> IntentScores:
        counts = features(_without(text, self.ignored))
        rows, idfs = self.postings.rows, self.idfs
        idf = {f: idfs[rows[f]] for f in counts if f in rows}
        vec = _weigh(counts, idf)
        # What nothing in the examples says (股票, 拍片子) still makes the question longer: a
        # question mostly about something else is near no app example.
        unseen = [
            (1 + math.log(tf)) * self.unseen_idf * (SOUND_WEIGHT if f.startswith("~") else 1.0)
            for f, tf in counts.items()
            if f not in idf and f not in self.common
        ]
        if unseen:
            seen = sum(
                ((1 + math.log(tf)) * idf[f] * (SOUND_WEIGHT if f.startswith("~") else 1.0)) ** 2
                for f, tf in counts.items()
                if f in idf
            )
            shrink = math.sqrt(seen / (seen + sum(w * w for w in unseen))) if seen else 0.0
            vec = {f: w * shrink for f, w in vec.items()}
        sims: dict[int, float] = {}
        get = sims.get
        starts, docs, weights = self.postings.starts, self.postings.docs, self.postings.weights
        for f, qw in vec.items():
            row = rows.get(f)
            if row is None:
                continue
            a, b = starts[row], starts[row + 1]
            for i, w in zip(docs[a:b], weights[a:b], strict=True):
                sims[i] = get(i, 0.0) + qw * w
        best_by: dict[str, float] = {}
        labels, best_get = self.labels, best_by.get
        for i, s in sims.items():
            label = labels[i]
            if s > best_get(label, 0.0):
                best_by[label] = s
        policy = best_by.pop(OTHER, 0.0)
        elsewhere = best_by.pop(ELSEWHERE, 0.0)
        other = max(policy, elsewhere)
        if not best_by:
            return IntentScores(OTHER, 0.0, other, elsewhere, policy)
        best = max(best_by, key=lambda k: best_by[k])
        return IntentScores(best, best_by[best], other, elsewhere, policy)


def _without(text: str, words: tuple[str, ...]) -> str:
    for word in words:
        if word in text:
            text = text.replace(word, " ")
    return text


def _weigh(counts: Counter[str], idf: dict[str, float]) -> dict[str, float]:
    vec = {
        f: (1 + math.log(tf)) * idf[f] * (SOUND_WEIGHT if f.startswith("~") else 1.0)
        for f, tf in counts.items()
        if f in idf
    }
    norm = math.sqrt(sum(w * w for w in vec.values())) or 1.0
    return {f: w / norm for f, w in vec.items()}
