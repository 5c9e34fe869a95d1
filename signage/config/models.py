"""Schema of ``config.yaml`` and ``playlists/*.yaml`` (plain data, no Qt)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from signage.config.fields import (
    Advance,
    Clock,
    Colour,
    Date,
    Duration,
    Fit,
    LocalDateTime,
    Pages,
    Text,
    TimeZoneName,
    Transition,
    Weekday,
    fail,
)

ITEM_KINDS = ("image", "video", "slide", "pdf", "folder")
ALL_DAYS = (0, 1, 2, 3, 4, 5, 6)


class Strict(BaseModel):
    """Unknown keys are refused (``signage.config.errors`` adds "did you mean")."""

    model_config = ConfigDict(frozen=True, populate_by_name=True, extra="forbid")


class DisplaySpec(Strict):
    screen: str | int | list[int] | None = None
    size: tuple[int, int]
    label: str | None = None  # what people read (전면, 후면, 기둥); defaults by the wall's id

    @field_validator("size")
    @classmethod
    def _size(cls, value: tuple[int, int]) -> tuple[int, int]:
        if not all(1 <= v <= 16384 for v in value):
            raise fail("bad_size")
        return value

    @field_validator("screen")
    @classmethod
    def _screen(cls, value: Any) -> Any:
        if isinstance(value, list) and (len(value) != 4 or value[2] <= 0 or value[3] <= 0):
            raise fail("bad_screen")
        return value


class Assignment(Strict):
    """What one display plays in a layer: a playlist, advanced by time or by the operator."""

    playlist: str
    advance: Advance = "auto"

    @model_validator(mode="before")
    @classmethod
    def _from_name(cls, data: Any) -> Any:
        return {"playlist": data} if isinstance(data, str) else data


class DarkHours(Strict):
    start: Clock
    end: Clock
    days: tuple[Weekday, ...] = ALL_DAYS


class Daypart(Strict):
    name: Text
    days: tuple[Weekday, ...] = ALL_DAYS
    dates: tuple[Date, ...] | None = None
    from_: Date | None = Field(default=None, alias="from")
    until: Date | None = None
    skip_holidays: bool = False
    start: Clock
    end: Clock
    displays: dict[str, Assignment]
    priority: int = 0


class Event(Strict):
    name: Text
    start: LocalDateTime
    end: LocalDateTime
    displays: dict[str, Assignment]


class Schedule(Strict):
    default: dict[str, Assignment] = {}
    dark: DarkHours | None = None
    dayparts: tuple[Daypart, ...] = ()
    events: tuple[Event, ...] = ()


class ControlConfig(Strict):
    """The local control API (``signage ctl``)."""

    enabled: bool = True
    bind: str = "127.0.0.1"
    port: int = Field(default=8765, ge=1, le=65535)
    token: str | None = None


class PromoConfig(Strict):
    """Tenant promo intake: where clips arrive and what is accepted (``promos:`` in config.yaml)."""

    inbox: str = "inbox"
    min_duration: Duration = 5.0
    max_duration: Duration = 60.0
    min_lines: int = Field(default=720, ge=1)  # the shorter side, as displayed
    max_side: int = Field(default=4096, ge=16)  # the longer side; larger clips are refused unopened
    max_size_mb: float = Field(default=500, gt=0)
    # empty: any container / codec the sandbox decodes to the end (every clip is conformed anyway)
    containers: tuple[str, ...] = ()
    codecs: tuple[str, ...] = ()
    images: bool = True  # still images as promos
    image_duration: Duration = 10.0
    max_image_pixels: int = Field(default=50_000_000, ge=1)
    settle: Duration = 10.0  # a file must be unchanged this long before it is taken
    background: Colour = "#000000"
    max_share: float = Field(default=0.25, gt=0, le=1)  # of each hour, for all promos together
    probe_timeout: Duration = 120.0
    probe_memory_mb: int = Field(default=2048, ge=256)


class AudioConfig(Strict):
    """Sound (``audio:`` in config.yaml): one wall's clips on the hall's speakers; others stay silent."""

    device: str | None = None  # an output as `signage audio-outputs` lists it (name or description); None: the system default
    display: str = "front"  # the wall whose clips are heard
    volume: int = Field(default=100, ge=0, le=100)  # percent
    events: bool = True  # clips in booked events play aloud
    house: bool = False  # the default loop and dayparts
    promos: bool = False  # tenant promo clips


class HallConfig(Strict):
    hall: Text = "Changjo Hall"
    timezone: TimeZoneName = "Asia/Seoul"
    displays: dict[str, DisplaySpec]
    fallback: str | None = None
    playlists: str = "playlists"
    schedule: Schedule = Schedule()
    control: ControlConfig = ControlConfig()
    promos: PromoConfig = PromoConfig()
    audio: AudioConfig | None = None  # no block: the walls are silent


class Slide(Strict):
    title: Text = ""
    body: Text = ""
    background: Colour | None = None
    color: Colour | None = None
    image: str | None = None
    logo: str | None = None


class ItemDefaults(Strict):
    duration: Duration = 10.0
    fit: Fit = "contain"
    transition: Transition = ("cut", 0.0)
    background: Colour = "#000000"


class Item(Strict):
    image: str | None = None
    video: str | None = None
    slide: Slide | None = None
    pdf: str | None = None
    folder: str | None = None
    duration: Duration | None = None
    fit: Fit | None = None
    transition: Transition | None = None
    background: Colour | None = None
    pages: Pages = None

    @model_validator(mode="after")
    def _one_kind(self) -> Item:
        found = [k for k in ITEM_KINDS if getattr(self, k) is not None]
        if len(found) != 1:
            raise fail("item_one_kind", found=", ".join(found) or "-")
        return self

    @property
    def kind(self) -> str:
        return next(k for k in ITEM_KINDS if getattr(self, k) is not None)

    @property
    def path(self) -> str | None:
        value = getattr(self, self.kind)
        return value if isinstance(value, str) else None


class Playlist(Strict):
    name: Text | None = None
    accepts_promos: bool = False
    defaults: ItemDefaults = ItemDefaults()
    items: tuple[Item, ...]

    @field_validator("items")
    @classmethod
    def _not_empty(cls, value: tuple[Item, ...]) -> tuple[Item, ...]:
        if not value:
            raise fail("items_empty")
        return value


def event_bounds(event: Event, tz: dt.tzinfo) -> tuple[dt.datetime, dt.datetime]:
    """An event's start and end as aware datetimes in the hall's time zone."""

    def local(value: dt.datetime) -> dt.datetime:
        return value.replace(tzinfo=tz) if value.tzinfo is None else value.astimezone(tz)

    return local(event.start), local(event.end)
