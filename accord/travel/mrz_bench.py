"""Throughput of ``parse_mrz`` on synthetic MRZs, for ``benchmarks/``.

The inputs are generated, not the 32 specimens repeated: a benchmark that
parses the same few strings measures caches, not the parser. Every format is
represented, numbers, names, dates and states vary, one in ten documents has
a long document number (TD1), and one in twenty a wrong check digit, so the
error path is timed too.
"""

from __future__ import annotations

import random
import time
from datetime import UTC, date, datetime
from typing import Any

from accord.travel.mrz import MrzFormat, check_digit, parse_mrz

__all__ = ["run", "synthetic_mrzs"]

_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_ALNUM = _LETTERS + "0123456789"
_STATES = ("GBR", "FRA", "DEU", "D<<", "USA", "SYR", "IRQ", "TUR", "RUS", "CHN", "UTO")
_FORMATS = tuple(MrzFormat)[:5]  # the ICAO ones


def _word(rng: random.Random, low: int, high: int) -> str:
    return "".join(rng.choices(_LETTERS, k=rng.randint(low, high)))


def _pad(text: str, width: int) -> str:
    return text[:width].ljust(width, "<")


def _name(rng: random.Random, width: int) -> str:
    given = "<".join(_word(rng, 3, 8) for _ in range(rng.randint(1, 2)))
    return _pad(f"{_word(rng, 3, 12)}<<{given}", width)


def _date(rng: random.Random, first: int, last: int) -> str:
    return date(
        rng.randint(first, last), rng.randint(1, 12), rng.randint(1, 28)
    ).strftime("%y%m%d")


def _core(rng: random.Random, number: str) -> tuple[str, str, str, str, str]:
    """Number+digit, nationality, birth+digit, sex, expiry+digit."""
    birth = _date(rng, 1940, 2015)
    expiry = _date(rng, 2015, 2035)
    return (
        _pad(number, 9) + str(check_digit(_pad(number, 9))),
        rng.choice(_STATES),
        birth + str(check_digit(birth)),
        rng.choice("MFX<"),
        expiry + str(check_digit(expiry)),
    )


def _td1(rng: random.Random) -> list[str]:
    if rng.random() < 0.1:  # long document number, continued in optional data
        number = "".join(rng.choices(_ALNUM, k=12))
        head = number[:9] + "<" + number[9:] + str(check_digit(number))
    else:
        number = "".join(rng.choices(_ALNUM, k=rng.randint(7, 9)))
        head = _pad(number, 9) + str(check_digit(_pad(number, 9)))
    line1 = _pad(f"I<{rng.choice(_STATES)}{head}", 30)
    birth = _date(rng, 1940, 2015)
    expiry = _date(rng, 2015, 2035)
    line2 = (
        f"{birth}{check_digit(birth)}{rng.choice('MF')}{expiry}{check_digit(expiry)}"
    )
    line2 = _pad(line2 + rng.choice(_STATES), 29)
    composite = line1[5:30] + line2[0:7] + line2[8:15] + line2[18:29]
    return [line1, line2 + str(check_digit(composite)), _name(rng, 30)]


def _two_line(rng: random.Random, format: MrzFormat) -> list[str]:
    width = 44 if format in (MrzFormat.TD3, MrzFormat.MRV_A) else 36
    code = "V<" if format in (MrzFormat.MRV_A, MrzFormat.MRV_B) else "P<"
    if format is MrzFormat.TD2:
        code = "I<"
    line1 = f"{code}{rng.choice(_STATES)}{_name(rng, width - 5)}"
    number, nat, birth, sex, expiry = _core(rng, "".join(rng.choices(_ALNUM, k=9)))
    line2 = f"{number}{nat}{birth}{sex}{expiry}"
    if format is MrzFormat.TD3:
        personal = _pad(_word(rng, 0, 14), 14)
        line2 += personal + str(check_digit(personal))
        return [
            line1,
            line2 + str(check_digit(line2[0:10] + line2[13:20] + line2[21:43])),
        ]
    if format is MrzFormat.TD2:
        line2 = _pad(line2, 35)
        return [
            line1,
            line2 + str(check_digit(line2[0:10] + line2[13:20] + line2[21:35])),
        ]
    return [line1, _pad(line2 + _word(rng, 0, 8), width)]


def _corrupt(lines: list[str]) -> list[str]:
    """Change the birth-date check digit, so the error path is measured too."""
    index, position = (1, 6) if len(lines) == 3 else (1, 19)
    line = lines[index]
    digit = str((int(line[position]) + 1) % 10)
    lines[index] = line[:position] + digit + line[position + 1 :]
    return lines


def synthetic_mrzs(n: int, seed: int = 0) -> list[tuple[str, ...]]:
    """``n`` MRZs cycling through the ICAO formats, reproducible from ``seed``.

    Tuples, not lists: tuples of strings drop out of the garbage collector's
    view, so a full collection during the timed pass does not walk 100,000
    inputs that a real border system would not be holding.
    """
    rng = random.Random(seed)  # noqa: S311  (test data, not secrets)
    out = []
    for index in range(n):
        format = _FORMATS[index % len(_FORMATS)]
        lines = _td1(rng) if format is MrzFormat.TD1 else _two_line(rng, format)
        out.append(tuple(_corrupt(lines) if index % 20 == 19 else lines))
    return out


def run(n: int = 100_000, seed: int = 0, repeat: int = 5) -> dict[str, Any]:
    """Time ``parse_mrz`` alone (generation excluded) over ``n`` inputs.

    The pass is repeated and the best and median rates reported, as
    ``timeit`` does: on a shared machine the best run is the one least
    disturbed by other processes, and the median shows how much they cost.
    """
    inputs = synthetic_mrzs(n, seed)
    today = datetime.now(UTC).date()
    rates = []
    for _ in range(max(1, repeat)):
        seconds, invalid, formats = _timed_pass(inputs, today)
        rates.append(n / seconds if seconds else float("inf"))
    rates.sort()
    return {
        "n": n,
        "repeat": len(rates),
        "mrz_per_second": round(rates[-1]),
        "median_mrz_per_second": round(rates[len(rates) // 2]),
        "invalid": invalid,
        "formats": formats,
    }


def _timed_pass(
    inputs: list[tuple[str, ...]], today: date
) -> tuple[float, int, dict[str, int]]:
    counts = dict.fromkeys(_FORMATS, 0)
    valid = 0
    start = time.perf_counter()
    for lines in inputs:  # streamed, as a border system consumes results
        result = parse_mrz(lines, today=today)
        valid += not result.errors
        counts[result.format] += 1
    seconds = time.perf_counter() - start
    formats = {str(format): count for format, count in counts.items()}
    return seconds, len(inputs) - valid, formats
