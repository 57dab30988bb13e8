"""Greetings and app intents: what the user wants to *do*, so the mini-program opens that page.

The words are data (knowledge/intents.yaml); each is matched as typed and by sound, so a keyword
mis-typed by voice input (约撤, 定餐) still counts."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from bot import yamlfile
from bot.normalise import COMMON_WORD_FREQ
from bot.text import char_sound, fold, one_slip

Cut = Callable[[str], list[str]]
Windows = dict[int, list[tuple[str, str]]]  # length → (window, its sound key)

_GREETING = re.compile(
    r"^(你好|您好|你们好|早上好|上午好|中午好|下午好|晚上好|在吗|在不在|hi|hello|喂|有人吗)"
    r"[呀啊吗！!。,，\s]*$"
)
_THANKS = re.compile(
    r"^(谢谢|多谢|感谢|谢了|辛苦了|好的谢谢|明白了|知道了|好的|好|行|嗯|哦|ok|好嘞|懂了)"
    r"[你您啦了呀啊！!。,，\s]*$"
)


@dataclass(frozen=True)
class Intent:
    name: str
    contact_request: bool = False


@dataclass
class _Words:
    words: list[str]
    sounds: dict[int, dict[str, list[str]]] = field(default_factory=dict)  # length → key → words

    @classmethod
    def of(cls, words: list[str]) -> _Words:
        out = cls([fold(w) for w in words])
        for w in out.words:
            if len(w) >= 2:
                key = " ".join(char_sound(ch) for ch in w)
                out.sounds.setdefault(len(w), {}).setdefault(key, []).append(w)
        return out

    def found(
        self,
        text: str,
        windows: Windows | None = None,
        freq: Mapping[str, int] | None = None,
    ) -> bool:
        """Typed as is, or sounding like a keyword where the typed window is no common word of
        its own (同志 is not 通知) and cuts no word in two (工作机制 holds no 座机)."""
        if any(w in text for w in self.words):
            return True
        if not windows:
            return False
        for n, keys in self.sounds.items():
            for window, key in windows.get(n, ()):
                words = keys.get(key)
                if words and any(one_slip(window, w) for w in words):
                    if freq is None or freq.get(window, 0) < COMMON_WORD_FREQ:
                        return True
        return False


def sound_windows(cjk: str, cut: Cut | None, longest: int = 8) -> Windows:
    """Every window of 2+ characters that starts and ends at a word boundary, with its sound."""
    sounds = [char_sound(ch) for ch in cjk]
    if cut is not None:
        bounds, at = [0], 0
        for word in cut(cjk):
            at += len(word)
            bounds.append(at)
    else:
        bounds = list(range(len(cjk) + 1))
    out: Windows = {}
    for a_pos, a in enumerate(bounds):
        for b in bounds[a_pos + 1 :]:
            n = b - a
            if n > longest:
                break
            if n >= 2:
                out.setdefault(n, []).append((cjk[a:b], " ".join(sounds[a:b])))
    return out


@dataclass
class IntentRules:
    policy: _Words
    request: _Words
    strong: dict[str, _Words]
    weak: dict[str, _Words]
    contact: _Words
    needs_request: set[str]
    weak_needs: dict[str, re.Pattern[str]]
    replies: dict[str, str]
    order: list[str]
    question: re.Pattern[str] | None = None
    asking_is_request: set[str] = field(default_factory=set)
    own_request: _Words = field(default_factory=lambda: _Words([]))
    # What each feature is about, beside its strong and weak words (`about:`): see `is_about`.
    about: dict[str, _Words] = field(default_factory=dict)

    @classmethod
    def from_knowledge(cls, knowledge_dir: Path) -> IntentRules:
        data = yamlfile.load((knowledge_dir / "intents.yaml").read_text(encoding="utf-8"))
        intents = data["intents"]
        return cls(
            policy=_Words.of(data.get("policy_words") or []),
            request=_Words([fold(w) for w in data.get("request_words") or []]),
            strong={k: _Words.of(v.get("strong") or []) for k, v in intents.items()},
            weak={k: _Words.of(v.get("weak") or []) for k, v in intents.items()},
            contact=_Words.of(intents.get("handoff", {}).get("contact") or []),
            needs_request={k for k, v in intents.items() if v.get("needs_request")},
            weak_needs={
                k: re.compile(v["weak_needs"]) for k, v in intents.items() if v.get("weak_needs")
            },
            replies={str(k): str(v) for k, v in (data.get("replies") or {}).items()},
            order=list(intents),
            asking_is_request={k for k, v in intents.items() if v.get("asking_is_request")},
            question=re.compile(data["question_pattern"]) if data.get("question_pattern") else None,
            own_request=_Words([fold(w) for w in data.get("own_request_words") or []]),
            about={
                k: _Words.of([*(v.get("strong") or []), *(v.get("weak") or []), *v["about"]])
                for k, v in intents.items()
                if v.get("about")
            },
        )

    def is_about(
        self,
        intent: str,
        question: str,
        freq: Mapping[str, int] | None = None,
        cut: Cut | None = None,
    ) -> bool:
        """The question says something the feature is about (typed or by sound), or the feature
        names no such words. Asked of a question that is only near the feature's examples: one
        that shares their other words (腿脚不方便 with 腿脚不方便，要个车送我过去) but says nothing
        of a ride is no request for a ride."""
        words = self.about.get(intent)
        if words is None:
            return True
        cjk = re.sub(r"[^\u4e00-\u9fff]", "", fold(question))
        return words.found(cjk, sound_windows(cjk, cut), freq)

    def asks_about_rule(self, intent: str, question: str) -> bool:
        """Asked as a question (whether, when, how the centre does it) with nothing that asks
        for it to be done for the asker: the regulations may answer it better than a page."""
        if intent in self.asking_is_request:
            return False
        text = fold(question)
        if self.question is None or not self.question.search(text):
            return False
        return not self.own_request.found(text)

    def detect(
        self, question: str, freq: Mapping[str, int] | None = None, cut: Cut | None = None
    ) -> Intent | None:
        text = fold(question)
        cjk = re.sub(r"[^\u4e00-\u9fff]", "", text)
        windows = sound_windows(cjk, cut)
        policy = self.policy.found(text)
        requested = self.request.found(text)
        if not policy and self.contact.found(cjk, windows, freq):
            return Intent("handoff", contact_request=True)
        for name in self.order:
            strong = self.strong[name].found(cjk, windows, freq)
            weak = not strong and requested and self.weak[name].found(cjk, windows, freq)
            if weak and name in self.weak_needs and not self.weak_needs[name].search(text):
                weak = False
            if not (strong or weak):
                continue
            if name == "handoff":
                return Intent(name)
            if policy:
                continue
            if name in self.needs_request and not requested:
                continue
            return Intent(name)
        return None


_RULES: dict[Path, IntentRules] = {}


def rules(knowledge_dir: Path | None = None) -> IntentRules:
    if knowledge_dir is None:
        knowledge_dir = Path(__file__).resolve().parents[1] / "knowledge"
    if knowledge_dir not in _RULES:
        _RULES[knowledge_dir] = IntentRules.from_knowledge(knowledge_dir)
    return _RULES[knowledge_dir]


def greeting_reply(question: str) -> str | None:
    text = fold(question)
    if _GREETING.match(text):
        return (
            "您好！我是军休服务助手。您可以问我政策，比如“体检多久一次”“出国要报备吗”。"
            "想找工作人员，就说“转人工”。"
        )
    if _THANKS.match(text):
        return "不客气！还有什么想问的，随时问我。"
    return None


def detect_intent(question: str, knowledge_dir: Path | None = None) -> str | None:
    found = rules(knowledge_dir).detect(question)
    return found.name if found else None


INTENT_REPLIES = rules().replies
