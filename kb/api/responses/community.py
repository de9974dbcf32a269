"""The answers of /api/v1/community."""

from __future__ import annotations

from pydantic import Field

from kb.api.responses import IsoDateTime, ResponseBody


class Space(ResponseBody):
    id: int
    slug: str
    name: str
    description: str
    product: str | None
    min_plan: str
    readable: bool
    questions: int | None = Field(description="null when not readable")
    url: str


class Answer(ResponseBody):
    id: int
    html: str
    markdown: str
    author: str | None
    staff: bool
    score: int
    accepted: bool
    outdated: bool
    outdated_note: str | None
    status: str
    created: IsoDateTime


class Question(ResponseBody):
    id: int
    space: str = Field(description="the space's slug")
    title: str
    author: str | None
    solved: bool
    locked: bool
    lock_reason: str | None = Field(description="the reason staff gave for the lock; null "
                                                "while open or when they gave none")
    score: int = Field(description="the sum of its votes")
    status: str
    min_plan: str
    created: IsoDateTime
    last_activity: IsoDateTime
    url: str
    answers: int = Field(description="how many answers the caller sees")


class QuestionWithAnswers(Question):
    html: str
    markdown: str
    answer_list: list[Answer]


class Score(ResponseBody):
    """An answer's or a question's score after a vote."""

    id: int
    score: int
