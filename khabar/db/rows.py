"""Row inserts and updates written to SQL once per process, for the writes ingest repeats.

`Model.objects.create`, `bulk_create` and `QuerySet.update` build and compile a query on every
call: about 0.3 ms each, several times per stored article, where SQLite's own work is 0.05 ms.
An `Insert` or `Update` writes its SQL once per database and row count, with Django's own
quoting and its own conflict clause (`INSERT OR IGNORE` on SQLite, `ON CONFLICT DO NOTHING` on
PostgreSQL), and converts each value with the model field's `get_db_prep_save`, as Django does.

Like `bulk_create` and `update`, these send no model signals: a caller that skips `save()` says
itself what changed (search marks, the page cache). `Create` is `save()` of a new instance: its
signals are sent, its primary key read back.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import connections, models
from django.db.models import Field, Model
from django.db.models.constants import OnConflict
from django.db.models.signals import post_save, pre_save

__all__ = ["Create", "Insert", "Update"]

# Rows per INSERT statement: far under SQLite's 32,766 parameters for any table here.
BATCH = 200


# Django's own text and integer fields, whose `get_db_prep_save` gives a str (an int) back as
# it is: converting each value through that chain of calls was most of the cost of a write.
_TEXT: tuple[type[Field[Any, Any]], ...] = (
    models.CharField,
    models.TextField,
    models.SlugField,
    models.URLField,
    models.EmailField,
)
_INTEGER: tuple[type[Field[Any, Any]], ...] = (
    models.IntegerField,
    models.BigIntegerField,
    models.SmallIntegerField,
    models.PositiveIntegerField,
    models.PositiveSmallIntegerField,
    models.PositiveBigIntegerField,
    models.AutoField,
    models.BigAutoField,
    models.SmallAutoField,
)


def _plain_type(field: Field[Any, Any], connection: Any) -> type | None:
    """The type whose values `field.get_db_prep_save` passes on unchanged on this database:
    str for Django's own text fields, int for its integer fields and the foreign keys to them;
    None for every other field (dates, JSON, booleans, custom fields are converted as usual).
    Checked once on a sample value, in case a backend adapts even these."""
    target = field.target_field if type(field) is models.ForeignKey else field
    if type(target) in _TEXT and type(field) in (*_TEXT, models.ForeignKey):
        kind: type = str
        sample: Any = "khabar"
    elif type(target) in _INTEGER and type(field) in (*_INTEGER, models.ForeignKey):
        kind, sample = int, 1234567
    else:
        return None
    return kind if field.get_db_prep_save(sample, connection) is sample else None


class _Converters:
    """Each field's plain type (`_plain_type`), worked out once per database connection."""

    def __init__(self, fields: Sequence[Field[Any, Any]]) -> None:
        self.fields = list(fields)
        self._plain: dict[tuple[str, str], list[type | None]] = {}

    def params(self, values: Sequence[Any], connection: Any) -> list[Any]:
        """The values as the database takes them, one per field, as `get_db_prep_save` gives."""
        key = (connection.alias, connection.vendor)
        plain = self._plain.get(key)
        if plain is None:
            plain = self._plain[key] = [_plain_type(f, connection) for f in self.fields]
        return [
            value if type(value) is kind else field.get_db_prep_save(value, connection)
            for field, kind, value in zip(self.fields, plain, values, strict=True)
        ]


def _columns(model: type[Model], names: Sequence[str]) -> list[Field[Any, Any]]:
    """The model's fields named by attribute name (`section_id` for a foreign key)."""
    meta = model._meta
    by_attname = {f.attname: f for f in meta.concrete_fields}
    unknown = [name for name in names if name not in by_attname]
    if unknown:
        raise ValueError(f"{meta.label} has no column for {', '.join(unknown)}")
    return [by_attname[name] for name in names]


class Insert:
    """INSERT of `fields` (attribute names, `section_id` style for foreign keys) into a model's
    table; with `ignore_conflicts`, a row that breaks a unique constraint is skipped."""

    def __init__(
        self, model: type[Model], fields: Sequence[str], *, ignore_conflicts: bool = False
    ) -> None:
        self.table = model._meta.db_table
        self.fields = _columns(model, fields)
        self.ignore_conflicts = ignore_conflicts
        self._sql: dict[tuple[str, str, int], str] = {}
        self._converters = _Converters(self.fields)

    def __call__(self, rows: Sequence[Sequence[Any]], using: str = "default") -> None:
        """Insert the rows (one value per field, in the fields' order)."""
        connection = connections[using]
        width = len(self.fields)
        for start in range(0, len(rows), BATCH):
            batch = rows[start : start + BATCH]
            params: list[Any] = []
            for row in batch:
                if len(row) != width:
                    raise ValueError(f"a row of {len(row)} values for {width} columns")
                params.extend(self._converters.params(row, connection))
            with connection.cursor() as cursor:
                cursor.execute(self._statement(connection, len(batch)), params)

    def _statement(self, connection: Any, count: int) -> str:
        key = (connection.alias, connection.vendor, count)
        sql = self._sql.get(key)
        if sql is None:
            ops = connection.ops
            conflict = OnConflict.IGNORE if self.ignore_conflicts else None
            columns = ", ".join(ops.quote_name(f.column) for f in self.fields)
            row = "(" + ", ".join(["%s"] * len(self.fields)) + ")"
            sql = (
                f"{ops.insert_statement(on_conflict=conflict)} {ops.quote_name(self.table)} "
                f"({columns}) VALUES {', '.join([row] * count)}"
            )
            suffix = ops.on_conflict_suffix_sql(self.fields, conflict, None, None)
            sql = f"{sql} {suffix}".rstrip()
            self._sql[key] = sql
        return sql


class Update:
    """UPDATE of `fields` of the row whose primary key is given."""

    def __init__(self, model: type[Model], fields: Sequence[str]) -> None:
        self.table = model._meta.db_table
        self.fields = _columns(model, fields)
        self.pk: Field[Any, Any] = model._meta.pk  # type: ignore[assignment]
        self._sql: dict[tuple[str, str], str] = {}
        self._converters = _Converters([*self.fields, self.pk])

    def __call__(self, pk: Any, values: Sequence[Any], using: str = "default") -> int:
        """Set the fields of row `pk` to `values`; return how many rows changed (0 or 1)."""
        connection = connections[using]
        if len(values) != len(self.fields):
            raise ValueError(f"{len(values)} values for {len(self.fields)} columns")
        key = (connection.alias, connection.vendor)
        sql = self._sql.get(key)
        if sql is None:
            quote = connection.ops.quote_name
            sets = ", ".join(f"{quote(f.column)} = %s" for f in self.fields)
            sql = self._sql[key] = (
                f"UPDATE {quote(self.table)} SET {sets} WHERE {quote(self.pk.column)} = %s"
            )
        params = self._converters.params([*values, pk], connection)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return int(cursor.rowcount)


class Create:
    """What `save()` does for a new instance of a model without a custom `save()` step (run
    that first): pre_save, an INSERT of every concrete field (each field's `pre_save`, so
    defaults and auto_now work), the new primary key read back, post_save."""

    def __init__(self, model: type[Model]) -> None:
        meta = model._meta
        self.model = model
        self.table = meta.db_table
        self.pk: Field[Any, Any] = meta.pk  # type: ignore[assignment]
        self.fields: list[Field[Any, Any]] = [
            f for f in meta.local_concrete_fields if f is not meta.auto_field
        ]
        self._sql: dict[tuple[str, str], tuple[str, bool, tuple[Any, ...]]] = {}
        self._converters = _Converters(self.fields)

    def __call__(self, obj: Model, using: str = "default") -> None:
        """Insert `obj` (not saved before) and give it its primary key."""
        if not isinstance(obj, self.model) or not obj._state.adding:
            raise ValueError(f"Create inserts new {self.model.__name__} instances only")
        connection = connections[using]
        sender = self.model
        pre_save.send(sender=sender, instance=obj, raw=False, using=using, update_fields=None)
        params = self._converters.params([f.pre_save(obj, True) for f in self.fields], connection)
        sql, returns, returning = self._statement(connection)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            if returns:
                pk = connection.ops.fetch_returned_insert_columns(cursor, returning)[0]
            else:
                pk = connection.ops.last_insert_id(cursor, self.table, self.pk.column)
        setattr(obj, self.pk.attname, pk)
        obj._state.adding = False
        obj._state.db = using
        post_save.send(
            sender=sender, instance=obj, created=True, update_fields=None, raw=False, using=using
        )

    def _statement(self, connection: Any) -> tuple[str, bool, tuple[Any, ...]]:
        """The INSERT, whether it reads the key back (RETURNING), and that clause's params."""
        key = (connection.alias, connection.vendor)
        found = self._sql.get(key)
        if found is None:
            ops = connection.ops
            columns = ", ".join(ops.quote_name(f.column) for f in self.fields)
            marks = ", ".join(["%s"] * len(self.fields))
            sql = f"INSERT INTO {ops.quote_name(self.table)} ({columns}) VALUES ({marks})"
            returns = bool(connection.features.can_return_columns_from_insert)
            returning: tuple[Any, ...] = ()
            if returns:
                suffix, params = ops.return_insert_columns([self.pk])
                sql, returning = f"{sql} {suffix}", tuple(params)
            found = self._sql[key] = (sql, returns, returning)
        return found
