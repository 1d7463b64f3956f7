"""The arrays of a run: when each was allocated, and its past contents for `old`."""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field

from kernel_ext.run.values import ArrayValue


@dataclass
class ArrayRecord:
    array: ArrayValue
    allocated: int
    # Contents before the first write at each clock value at which it was written.
    times: list[int] = field(default_factory=list)
    before: list[tuple[object, ...]] = field(default_factory=list)


class Heap:
    """Every array of a run, when it was allocated, and what `old` needs of its past.

    The clock advances at each method entry; a method's `old` state is the contents at its
    entry time, kept by saving an array's contents before its first write at each time.
    """

    def __init__(self) -> None:
        self.clock = 0
        self.records: dict[int, ArrayRecord] = {}
        self.log: list[tuple[ArrayValue, int, object]] = []  # every write: array, index, old value

    def register(self, array: ArrayValue, time: int) -> None:
        if id(array) not in self.records:
            array.ident = len(self.records) + 1
            self.records[id(array)] = ArrayRecord(array, time)

    def allocate(self, elements: list[object], time: int | None = None) -> ArrayValue:
        array = ArrayValue(elements)
        self.register(array, self.clock if time is None else time)
        return array

    def record(self, array: ArrayValue) -> ArrayRecord:
        if id(array) not in self.records:
            self.register(array, 0)
        return self.records[id(array)]

    def allocated(self, array: ArrayValue) -> int:
        return self.record(array).allocated

    def contents(self, array: ArrayValue, time: int | None) -> list[object] | tuple[object, ...]:
        if time is None:
            return array.elements
        record = self.record(array)
        position = bisect_left(record.times, time)
        return record.before[position] if position < len(record.times) else array.elements

    def write(self, array: ArrayValue, index: int, value: object) -> None:
        record = self.record(array)
        if not record.times or record.times[-1] < self.clock:
            record.times.append(self.clock)
            record.before.append(tuple(array.elements))
        self.log.append((array, index, array.elements[index]))
        array.elements[index] = value
