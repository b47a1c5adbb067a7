"""How cache entries are written and read: MessagePack of declared types, never pickles.

Each entry is checked in full (format, name, input digests) before its value is
decoded into the caller's declared type, so a planted or damaged file is at worst a miss."""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import operator
import types
import typing
from pathlib import PurePath
from typing import Any

import msgspec
import msgspec.structs



# ---------------------------------------------------------------- what entries hold


class Entry(msgspec.Struct, array_like=True, frozen=True):
    """One cache file: checked in full before ``value`` is decoded into the caller's type."""

    format: str  # FORMAT of the code that wrote it
    name: str  # the name it was filed under, so a file copied over another entry is a miss
    inputs: list[tuple[str, str, bytes]]  # (path, fingerprint mode, digest of the fingerprint when stored)
    value: msgspec.Raw


ENTRY_DECODER = msgspec.msgpack.Decoder(Entry)
ENTRY_ENCODER = msgspec.msgpack.Encoder()


def _enc_hook(value: Any) -> Any:
    if isinstance(value, PurePath):
        return str(value)
    raise NotImplementedError(f"the cache cannot hold a {type(value).__name__}")


def _dec_hook(type_: type, obj: Any) -> Any:
    if issubclass(type_, PurePath) and isinstance(obj, str):
        return type_(obj)
    raise ValueError(f"expected a {type_.__name__}")


_PLAIN = (str, int, bool, bytes, type(None))


class _Codec:
    """How values of one declared type are written to an entry and read back.

    msgspec reads dataclasses itself but cannot tell several apart in one union
    (the model's Block is seven), so every dataclass travels as a msgspec Struct
    made from its fields and tagged with its name: ``[tag, field, ...]``. The
    decoder checks each field against its declared type, then the structs are
    turned back into the dataclasses. Paths go through the hooks.
    """

    def __init__(self, type_: Any):
        self._made: dict[type, tuple] = {}
        self._tags: set[str] = set()
        wire, self._out, self._in = self._plan(type_)
        self._encoder = msgspec.msgpack.Encoder(enc_hook=_enc_hook)
        # built last: msgspec reads the structs' field types now, once every one of them is known
        self._decoder = msgspec.msgpack.Decoder(type=wire, dec_hook=_dec_hook)

    def encode(self, value: Any) -> bytes:
        return self._encoder.encode(self._out(value) if self._out else value)

    def decode(self, data: bytes | msgspec.Raw) -> Any:
        wire = self._decoder.decode(data)
        return self._in(wire) if self._in else wire

    def _plan(self, tp: Any) -> tuple[Any, Any, Any]:
        """(type on the wire, conversion out, conversion back); a conversion of None leaves values as they are."""
        if tp is float:
            return int | float, None, None  # an int kept where a float is declared comes back an int, as it was
        if tp in _PLAIN or tp in (dt.date, dt.datetime):
            return tp, None, None
        origin, args = typing.get_origin(tp), typing.get_args(tp)
        if origin is typing.Literal:
            return tp, None, None
        if origin in (typing.Union, types.UnionType):
            return self._union(tp, args)
        if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
            wire, out, back = self._plan(args[0])
            return tuple[wire, ...], _each(tuple, out), _each(tuple, back)
        if origin is tuple:
            plans = [self._plan(a) for a in args]
            return tuple[tuple(p[0] for p in plans)], _fixed(p[1] for p in plans), _fixed(p[2] for p in plans)
        if origin is list and len(args) == 1:
            wire, out, back = self._plan(args[0])
            return list[wire], _each(list, out), _each(list, back)
        if origin is dict and len(args) == 2:
            kw, kout, kback = self._plan(args[0])
            vw, vout, vback = self._plan(args[1])
            if kout or kback:
                raise TypeError(f"the cache cannot hold {tp!r}: keys must be plain values")
            return dict[kw, vw], _values(vout), _values(vback)
        if isinstance(tp, type):
            if dataclasses.is_dataclass(tp):
                return self._dataclass(tp)
            if issubclass(tp, (PurePath, types.SimpleNamespace)):
                return tp, None, None
        raise TypeError(f"the cache cannot hold {tp!r}")

    def _union(self, tp: Any, args: tuple) -> tuple[Any, Any, Any]:
        plans = [self._plan(a) for a in args]
        wire = typing.Union[tuple(p[0] for p in plans)]
        if not any(p[1] or p[2] for p in plans):
            return wire, None, None
        # a member that needs converting is told apart by its class: a dataclass by its own, the wire struct
        # standing for it by that struct's; containers by tuple, list or dict
        outs: dict[type, Any] = {}
        backs: dict[type, Any] = {}
        for member, (w, out, back) in zip(args, plans):
            if not (out or back):
                continue
            out_class = member if dataclasses.is_dataclass(member) else typing.get_origin(member)
            back_class = w if dataclasses.is_dataclass(member) else typing.get_origin(member)
            if out_class in outs or back_class in backs:
                raise TypeError(f"the cache cannot hold {tp!r}: two members look alike")
            outs[out_class], backs[back_class] = out, back

        def out(value, outs=outs):
            convert = outs.get(type(value))
            return convert(value) if convert else value

        def back(value, backs=backs):
            convert = backs.get(type(value))
            return convert(value) if convert else value

        return wire, out, back

    def _dataclass(self, cls: type) -> tuple[Any, Any, Any]:
        if cls in self._made:
            return self._made[cls]
        fields = dataclasses.fields(cls)
        if not all(f.init for f in fields):
            raise TypeError(f"the cache cannot hold {cls.__name__}: a field is not set by its constructor")
        names = [f.name for f in fields]
        tag = cls.__name__ if cls.__name__ not in self._tags else f"{cls.__module__}.{cls.__qualname__}"
        self._tags.add(tag)
        struct = msgspec.defstruct(f"Wire{cls.__name__}", [(n, Any) for n in names], tag=tag, tag_field="@",
                                   array_like=True)
        outs: list = []
        backs: list = []
        get = operator.attrgetter(*names) if len(names) > 1 else (lambda v, n=names[0]: (getattr(v, n),))
        astuple = msgspec.structs.astuple

        def out(value):
            if type(value) is not cls:
                raise TypeError(f"a {type(value).__name__} where a {cls.__name__} was declared")
            return struct(*[f(v) if f else v for f, v in zip(outs, get(value))])

        def back(wire):
            return cls(*[f(v) if f else v for f, v in zip(backs, astuple(wire))])

        self._made[cls] = (struct, out, back)  # before the fields: a field may lead back here (a list holds blocks)
        hints = typing.get_type_hints(cls)
        for n in names:
            wire, f_out, f_back = self._plan(hints[n])
            struct.__annotations__[n] = wire  # msgspec reads it when the decoder is built
            outs.append(f_out)
            backs.append(f_back)
        return self._made[cls]


def _each(kind: type, convert):
    return None if convert is None else (lambda values: kind(map(convert, values)))


def _fixed(converts):
    converts = list(converts)
    if not any(converts):
        return None
    return lambda values: tuple(f(v) if f else v for f, v in zip(converts, values))


def _values(convert):
    return None if convert is None else (lambda mapping: {k: convert(v) for k, v in mapping.items()})


@functools.cache
def codec_for(type_: Any) -> _Codec:
    return _Codec(type_)
