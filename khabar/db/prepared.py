"""Page queries compiled to SQL once per process and run again with new values.

Django compiles a queryset to SQL every time it is evaluated. For the reader site's small
queries the compiling costs more than the database's answer: an article with its section,
story and pictures took 2.1 ms to build and compile against 1 ms to run and read on the
20,000-article bench database. A `Prepared` query is built once from stand-in arguments,
compiled, and afterwards run by putting the real arguments in the stand-ins' places among the
SQL parameters, through Django's own iterables: the result is what the queryset would give
(model instances, select_related, only(), values_list()).

Arguments are ints (ids), strings, dates, datetimes or lists of ints or strings. A list is
padded to the next power of two with its last item (a repeated value changes nothing in
`IN (...)`), so a shape compiles at most a handful of times. Keyword arguments are part of the
shape, for what Django writes into the SQL itself (a slice's LIMIT and OFFSET): each set of them
compiles once, and the newest MAX_SHAPES shapes are kept. `PreparedList` gives Django's
Paginator a prepared count and prepared pages.
"""

from __future__ import annotations

import copy
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, Generic, TypeVar

from django.db import connections
from django.db.models import Count, Model, QuerySet
from django.db.models.sql.compiler import SQLCompiler

__all__ = ["MAX_SHAPES", "Prepared", "PreparedList"]

MAX_SHAPES = 64

M = TypeVar("M", bound=Model)
Arg = int | str | date | datetime | Sequence[int] | Sequence[str]

# Stand-ins no real row can hold: negative ids and two distinct moments in 1901.
_STANDIN_INT = -7_000_000_000
_STANDIN_TIMES = (
    datetime(1901, 2, 3, 4, 5, 6, 7, tzinfo=UTC),
    datetime(1901, 3, 4, 5, 6, 7, 8, tzinfo=UTC),
)


@dataclass
class _Compiled:
    queryset: QuerySet[Any]
    compiler: SQLCompiler
    sql: str
    params: tuple[Any, ...]
    slots: list[list[int]]  # for each flattened argument, where it sits among the params
    kinds: list[type]
    converters: dict[int, Any]  # what turns each column's database value into Python's


class Prepared(Generic[M]):
    """A queryset shape, `build(*args)`, compiled once per database and list lengths."""

    def __init__(self, build: Callable[..., QuerySet[M]], using: str = "default") -> None:
        self.build = build
        self.using = using
        self._compiled: OrderedDict[tuple[Any, ...], _Compiled] = OrderedDict()

    def __call__(self, *args: Arg, **fixed: int) -> list[Any]:
        """The rows the queryset built from `args` (and `fixed`) gives, as a list."""
        padded = [_pad(a) if isinstance(a, list | tuple) else a for a in args]
        connection = connections[self.using]
        key = (connection.vendor, connection.settings_dict["NAME"], *_shape(padded), *fixed.items())
        compiled = self._compiled.get(key)
        if compiled is None:
            compiled = self._compiled[key] = self._compile(padded, fixed)
            if len(self._compiled) > MAX_SHAPES:
                self._compiled.popitem(last=False)
        params = list(compiled.params)
        for value, kind, positions in zip(
            _flat(padded), compiled.kinds, compiled.slots, strict=True
        ):
            if not isinstance(value, kind):
                raise TypeError(f"prepared query argument {value!r} is not a {kind.__name__}")
            db_value = _db_value(value, connection)
            for position in positions:
                params[position] = db_value
        compiler = copy.copy(compiled.compiler)
        compiler.connection = connection
        sql, converters = compiled.sql, compiled.converters
        compiler.as_sql = lambda *_a, **_k: (sql, tuple(params))  # type: ignore[method-assign]
        compiler.get_converters = lambda _fields: converters  # type: ignore[method-assign]
        query = copy.copy(compiled.queryset.query)
        query.get_compiler = lambda *_a, **_k: compiler  # type: ignore[method-assign]
        # Not copy.copy(queryset): pickling support makes that evaluate the stand-in queryset.
        queryset = compiled.queryset.all()
        iterable = queryset._iterable_class  # the query setter would make values_list() dicts
        queryset.query = query
        queryset._iterable_class = iterable
        return list(queryset)

    def _compile(self, args: list[Any], fixed: dict[str, int]) -> _Compiled:
        flat = list(_flat(args))
        first = self._params(_standins(args), fixed)
        queryset = self.build(*_standins(args), **fixed)
        compiler = queryset.query.get_compiler(self.using)
        sql, params = compiler.as_sql()
        # Two compiles must agree: a build that reads anything besides its arguments (the
        # clock, a setting) would otherwise have that value frozen into every later call.
        if tuple(params) != first:
            raise RuntimeError(
                "a prepared query compiled two ways from the same arguments: pass what it reads"
                " (the time, for instance) as an argument"
            )
        slots = []
        for i in range(len(flat)):
            moved = self._params(_standins(args, moved=i), fixed)
            slots.append([p for p, (a, b) in enumerate(zip(first, moved, strict=True)) if a != b])
            if not slots[-1]:
                raise RuntimeError(
                    f"argument {i} of a prepared query does not reach its SQL parameters: "
                    "build it with the ORM instead"
                )
        kinds = [_kind(v) for v in flat]
        connection = connections[self.using]
        for standin, kind, positions in zip(_flat(_standins(args)), kinds, slots, strict=True):
            if any(_db_value(standin, connection) != first[p] for p in positions):
                raise RuntimeError(f"a prepared {kind.__name__} argument is stored another way")
        converters = compiler.get_converters([s[0] for s in compiler.select[: compiler.col_count]])
        return _Compiled(queryset, compiler, sql, tuple(params), slots, kinds, converters)

    def _params(self, args: list[Any], fixed: dict[str, int]) -> tuple[Any, ...]:
        return tuple(self.build(*args, **fixed).query.get_compiler(self.using).as_sql()[1])


class PreparedList:
    """What Django's Paginator needs of a list, `count()` and slices, from prepared queries.

    `build(*args)` is the ordered queryset of every item; `args` are given once, here.
    """

    def __init__(self, pages: PreparedPages, *args: Arg) -> None:
        self.pages = pages
        self.args = args

    def count(self) -> int:
        """How many items the whole list holds."""
        found = self.pages.counted(*self.args)
        return int(found[0]) if found else 0

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, window: slice) -> list[Any]:
        if not isinstance(window, slice) or window.step or window.stop is None:
            raise TypeError("a PreparedList gives pages: slices with a start and a stop")
        start, stop = window.start or 0, window.stop
        if stop <= start:
            return []  # an empty list's only page
        return self.pages.sliced(*self.args, start=start, stop=stop)


class PreparedPages:
    """A paginated listing's two queries: its size and one page of it."""

    def __init__(self, build: Callable[..., QuerySet[Any]], shared: str) -> None:
        # count() is not a queryset, so it cannot be prepared. Grouped by a field every row of
        # the list has the same value in (`shared`: a listing of published articles shares its
        # status), the count is the one row of a queryset that can.
        self.counted = Prepared(
            lambda *a: (
                build(*a)
                .order_by()
                .values(shared)
                .annotate(n=Count("pk"))
                .values_list("n", flat=True)
            )
        )
        self.sliced = Prepared(lambda *a, start, stop: build(*a)[start:stop])

    def __call__(self, *args: Arg) -> PreparedList:
        """The listing for `args`, to give to a Paginator."""
        return PreparedList(self, *args)


def _pad(values: Sequence[Any]) -> list[Any]:
    if not values:
        raise ValueError("a prepared query needs at least one id in a list")
    size = 1 << (len(values) - 1).bit_length()
    return [*values, *[values[-1]] * (size - len(values))]


def _shape(args: list[Any]) -> list[Any]:
    return [len(a) if isinstance(a, list) else type(a).__name__ for a in args]


def _flat(args: list[Any]) -> list[Any]:
    return [v for a in args for v in (a if isinstance(a, list) else [a])]


def _kind(value: Any) -> type:
    for kind in (datetime, date, str, int):  # a datetime is also a date
        if isinstance(value, kind):
            return kind
    raise TypeError(f"a prepared query takes ids, strings and datetimes, not {value!r}")


def _standins(args: list[Any], moved: int = -1) -> list[Any]:
    """Distinct stand-ins in the arguments' shape; the `moved`-th flat one changed."""
    out: list[Any] = []
    n = 0

    def one(value: Any) -> Any:
        nonlocal n
        changed = n == moved
        n += 1
        if isinstance(value, datetime):
            return _STANDIN_TIMES[1 if changed else 0]
        if isinstance(value, date):
            return _STANDIN_TIMES[1 if changed else 0].date()
        if isinstance(value, str):
            return f"\uffffprepared-{n}-{int(changed)}"
        return _STANDIN_INT - 2 * n - (1 if changed else 0)

    for a in args:
        out.append([one(v) for v in a] if isinstance(a, list) else one(a))
    return out


def _db_value(value: Any, connection: Any) -> Any:
    if isinstance(value, datetime):
        return connection.ops.adapt_datetimefield_value(value)
    if isinstance(value, date):
        return connection.ops.adapt_datefield_value(value)
    return value
