"""A greedy first schedule, given to CP-SAT as a hint so that it starts from a good solution.

Lazy greedy: repeatedly add the (agent, template) whose intervals meet the most unmet demand
(each interval the agent can serve one of its skills that is still short), respecting every
hard rule against the shifts already chosen. Gains only shrink as demand is met and rules
tighten, so a stale gain is an upper bound and a heap with lazy re-evaluation is exact.
Contracts below their weekly minimum are then topped up where the rules allow; CP-SAT
repairs the hint if that falls short. Given the shifts of a schedule of crews, it places
those on people instead (see `greedy_schedule`).
"""

import heapq
from collections import defaultdict
from collections.abc import Mapping, Sequence

from goaldesk.engine.rostering.problem import Problem


def greedy_schedule(
    problem: Problem,
    crews: Sequence[Sequence[int]] = (),
    quota: Mapping[tuple[int, int], int] | None = None,
) -> list[tuple[int, int, int | None]]:
    """Chosen (agent index, template id, break start interval or None) triples.

    Given `quota`, a number of shifts per (crew, template) of a schedule of `crews` (see
    `crews_of`), the shifts are those instead, placed in order of time, each on the crew's
    member with the fewest minutes that week whom the rules allow: crews' shifts on people.
    """
    templates = problem.templates
    rules = problem.rules
    step = problem.interval_minutes
    rest = -(-rules.min_rest_minutes // step)
    residual = {s: list(v) for s, v in problem.required.items()}
    skills_of = [sorted(a.skills & set(problem.skills)) for a in problem.agents]
    chosen: dict[int, list[int]] = defaultdict(list)  # agent -> template ids
    plan: list[tuple[int, int, int | None]] = []

    def best_break(a: int, tid: int) -> tuple[int, int | None]:
        t = templates[tid]
        served = [any(residual[s][i] > 0 for s in skills_of[a]) for i in range(t.start, t.end)]
        gain = sum(served)
        if not t.break_length:
            return gain, None
        best = None
        for p in t.break_starts:
            loss = sum(served[i - t.start] for i in range(p, p + t.break_length))
            if best is None or loss < best[0]:
                best = (loss, p)
        if best is None:
            return 0, None
        return gain - best[0], best[1]

    def allowed(a: int, tid: int) -> bool:
        agent = problem.agents[a]
        t = templates[tid]
        mine = chosen[a]
        if any(templates[o].day == t.day for o in mine):
            return False
        for o in mine:
            other = templates[o]
            if other.start < t.start:
                if t.start < other.end + rest:
                    return False
            elif other.start < t.end + rest:
                return False
        week = t.day // 7
        same_week = [templates[o] for o in mine if templates[o].day // 7 == week]
        minutes = sum(o.length_minutes for o in same_week) + t.length_minutes
        if minutes > agent.max_hours_per_week * 60 or len(same_week) + 1 > agent.max_days_per_week:
            return False
        days = {templates[o].day for o in mine} | {t.day}
        first = last = t.day
        while first - 1 in days:
            first -= 1
        while last + 1 in days:
            last += 1
        return last - first + 1 <= rules.max_consecutive_days

    def take(a: int, tid: int, brk: int | None) -> None:
        # Serve the shortest-staffed skill in each interval the agent is on duty.
        t = templates[tid]
        # An agent with none of the skills in demand (topped up to their contract) covers nothing.
        for i in range(t.start, t.end) if skills_of[a] else ():
            if brk is not None and brk <= i < brk + t.break_length:
                continue
            best_skill = max(skills_of[a], key=lambda s: residual[s][i])
            if residual[best_skill][i] > 0:
                residual[best_skill][i] -= 1
        chosen[a].append(tid)
        plan.append((a, tid, brk))

    def minutes(a: int, week: int) -> int:
        return sum(templates[o].length_minutes for o in chosen[a] if templates[o].day // 7 == week)

    if quota is not None:
        for (c, tid), count in sorted(quota.items(), key=lambda item: templates[item[0][1]].start):
            week = templates[tid].day // 7
            for _ in range(count):
                free = [a for a in crews[c] if allowed(a, tid)]
                if not free:
                    break
                a = min(free, key=lambda a: (minutes(a, week), len(chosen[a])))
                take(a, tid, best_break(a, tid)[1])
    else:
        heap: list[tuple[float, int, int]] = []
        for a, feasible in enumerate(problem.feasible):
            if not skills_of[a]:
                continue
            for tid in feasible:
                gain, _ = best_break(a, tid)
                if gain > 0:
                    heap.append((-_score(gain, templates[tid].end - templates[tid].start), a, tid))
        heapq.heapify(heap)
        while heap:
            _, a, tid = heapq.heappop(heap)
            if not allowed(a, tid):
                continue
            gain, brk = best_break(a, tid)
            if gain <= 0:
                continue
            score = _score(gain, templates[tid].end - templates[tid].start)
            if heap and score < -heap[0][0]:
                heapq.heappush(heap, (-score, a, tid))
                continue
            take(a, tid, brk)
    # Then top up contracts below their weekly minimum with the most useful allowed shifts.
    for a, agent in enumerate(problem.agents):
        need = agent.min_hours_per_week * 60
        if need <= 0:
            continue
        for week in range(problem.weeks):
            if not problem.full_week(week):
                continue

            while minutes(a, week) < need:
                options = [
                    tid
                    for tid in problem.feasible[a]
                    if templates[tid].day // 7 == week and allowed(a, tid)
                ]
                if not options:
                    break
                tid = max(options, key=lambda o: (best_break(a, o)[0], templates[o].length_minutes))
                take(a, tid, best_break(a, tid)[1])
    return plan


def _score(gain: int, length: int) -> float:
    # Prefer filling demand; among equal gains prefer the shift that wastes fewer intervals.
    return gain - 0.01 * (length - gain)
