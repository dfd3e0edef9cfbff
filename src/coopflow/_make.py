"""Building frozen attrs values on the engine's hot path without their ``__init__``.

attrs gives a frozen slotted class an ``__init__`` that sets each field through
``object.__setattr__`` by name: one bound method made per instance, then one look-up of the name
on the class per field. The engine builds a snapshot, a result and a record for every event,
from values that are valid by construction, so `maker` sets the slots through their descriptors
instead, in one generated function per class (as attrs generates its own ``__init__``). What it
builds is the same instance, equal to what ``__init__`` builds (tests/test_make.py), in about
three quarters of the time.

Only for classes whose fields have no validator, converter or factory default: `maker` refuses
any other, so a field that later gains one cannot be skipped silently.
"""

from collections.abc import Callable
from typing import Any, TypeVar

import attrs
from attrs import AttrsInstance

T = TypeVar("T", bound=AttrsInstance)


def maker(cls: type[T]) -> Callable[..., T]:
    """A function building `cls` from one positional value per attrs field, in field order.

    Raises:
        TypeError: `cls` is not a slotted attrs class, or a field has a validator, a converter
            or a factory (``__init__`` would do more than set the slot).

    Example:
        >>> import attrs
        >>> from coopflow._make import maker
        >>> @attrs.frozen
        ... class Point:
        ...     x: int
        ...     y: int = 0
        >>> make = maker(Point)
        >>> make(1, 2) == Point(1, 2)
        True
    """
    fields = attrs.fields(cls)
    for field in fields:
        if (
            field.validator is not None
            or field.converter is not None
            or isinstance(field.default, attrs.Factory)  # type: ignore[arg-type]
            or not hasattr(cls.__dict__.get(field.name), "__set__")
        ):
            raise TypeError(f"{cls.__qualname__}.{field.name} is more than a slot to set")
    names = [f"v{number}" for number in range(len(fields))]
    namespace: dict[str, Any] = {"new": object.__new__, "cls": cls}
    lines = [f"def make({', '.join(names)}):", "    made = new(cls)"]
    for number, (field, name) in enumerate(zip(fields, names, strict=True)):
        namespace[f"set{number}"] = cls.__dict__[field.name].__set__
        lines.append(f"    set{number}(made, {name})")
    lines.append("    return made")
    exec("\n".join(lines), namespace)  # noqa: S102 (code made from field positions alone)
    make: Callable[..., T] = namespace["make"]
    make.__qualname__ = f"make_{cls.__qualname__}"
    make.__doc__ = f"A {cls.__qualname__} from its fields' values, in order (see coopflow._make)."
    return make
