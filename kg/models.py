"""Plain dataclasses passed between the pipeline's stages.

ingest -> Issue/Article; nlp+relations -> ArticleFacts (mentions and facts with
provenance); aliases -> Entity ids; graph -> networkx; writers -> stores/files.
"""

from __future__ import annotations

from dataclasses import dataclass, field

ENTITY_TYPES = ("Person", "Organization", "Place", "Event")
ATTENDANCE_ROLES = ("ATTENDED", "CHAIRED", "SPOKE")


@dataclass
class DateGuess:
    """An issue date with where it came from and how sure we are."""

    date: str | None  # ISO YYYY-MM-DD
    source: str  # "filename", "text", "option", "unknown"
    confidence: float
    evidence: list[str] = field(default_factory=list)


@dataclass
class Byline:
    name: str
    role: str  # 记者, 通讯员, 评论员, ...
    medium: str  # 本报 or another medium's name
    start: int  # offsets in the article text
    end: int


@dataclass
class Article:
    id: str
    issue_id: str
    seq: int
    title: str
    text: str  # repaired text: hard wraps joined, stray spaces removed
    raw_start: int  # span in the issue's decoded text
    raw_end: int
    offsets: list[int] = field(default_factory=list, repr=False)  # raw offset of each text char
    kind: str = "news"  # news, caption, notice, commentary
    kicker: str = ""  # the line above the headline ("东昌府区")
    subtitle: str = ""  # the line below it, after a dash ("——我市广大企业…")
    dateline: str = ""  # "12月27日下午", "新华社北京12月12日电"
    issuer: str = ""  # a notice's issuing office ("聊城市重污染天气应急指挥部办公室")
    issued: str | None = None  # and its own date, ISO
    title_spans: list[tuple[int, int]] = field(default_factory=list)  # raw spans of headline lines
    bylines: list[Byline] = field(default_factory=list)
    date: str | None = None
    part: str = ""  # the file (page) of the issue it was read from: kg.ingest.part_id

    def raw_offset(self, i: int) -> int:
        """Offset in the issue's decoded text of character i of `text`."""
        if not self.offsets:
            return self.raw_start + i
        if i >= len(self.offsets):
            return self.raw_end
        return self.offsets[i]


@dataclass
class SkippedSpan:
    start: int
    end: int
    reason: str
    text: str


@dataclass
class Issue:
    id: str
    paper: str
    source: str  # the file read (kg.loading reads every file by its resolved path)
    sha256: str
    date: DateGuess
    encoding: str
    text: str = field(repr=False, default="")
    articles: list[Article] = field(default_factory=list)
    skipped: list[SkippedSpan] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    part: str = ""  # the unit of loading: the issue id, or issue id + page for one file per page
    page: str | None = None  # "A01" for lcrb-2024-12-28-A01.txt

    def __post_init__(self) -> None:
        self.part = self.part or self.id


@dataclass
class Mention:
    """One surface occurrence of an entity in an article."""

    text: str
    type: str  # one of ENTITY_TYPES
    start: int  # offsets into Article.text
    end: int
    sentence: int
    source: str  # which component found it: lac, gazetteer, pattern, byline
    kind: str | None = None  # Organization kind: company, government, other
    canonical: str | None = None  # canonical name once known (profile, alias)
    refers_to: str | None = None  # a form of address for a person named in full ("孔书记" -> 孔繁森)


@dataclass
class RoleFact:
    person: str
    title: str
    org: str | None
    start: int
    end: int
    sentence: int


@dataclass
class AttendanceFact:
    person: str
    role: str  # one of ATTENDANCE_ROLES
    event: str
    start: int
    end: int
    sentence: int


@dataclass
class EventFact:
    """Where and when an event the article reports took place."""

    event: str
    place: str | None
    date: str | None  # ISO date from the text ("12月27日") and the issue's year
    start: int  # the evidence: offsets into Article.text
    end: int
    sentence: int


@dataclass
class ArticleFacts:
    """Everything extracted from one article, in the article's own names."""

    article_id: str
    issue_id: str | None
    date: str | None
    mentions: list[Mention] = field(default_factory=list)
    roles: list[RoleFact] = field(default_factory=list)
    attendance: list[AttendanceFact] = field(default_factory=list)
    events: list[EventFact] = field(default_factory=list)
    bylines: list[Byline] = field(default_factory=list)
    sentence_spans: list[tuple[int, int]] = field(default_factory=list)  # offsets of each sentence


@dataclass
class Entity:
    """A resolved entity: one node in the graph."""

    id: str
    type: str
    name: str
    aliases: set[str] = field(default_factory=set)
    kind: str | None = None
    merge_reason: str | None = None  # how identity was decided across articles (kg.aliases.identity)
    confidence: float | None = None
    alias_ids: set[str] = field(default_factory=set)  # ids this entity had under other names
    evidence: dict[str, set[str]] = field(default_factory=dict)  # Person: "orgs", "districts"
    # what its own article calls it, before identity across articles (kg.aliases.identity)
    own_name: str | None = None
    own_id: str | None = None
