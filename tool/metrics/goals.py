"""Goals: each goal_<key> of an event page compared with the figure it names."""

from __future__ import annotations

from collections.abc import Mapping

from tool.metrics.keys import GOAL_KEYS
from tool.metrics.outcomes import Figure, GoalResult


def evaluate_goals(goals: Mapping[str, float], figures: Mapping[str, Figure]) -> dict[str, GoalResult]:
    return {key: evaluate_goal(key, target, figures[GOAL_KEYS[key]]) for key, target in goals.items()}


def evaluate_goal(key: str, target: float, figure: Figure) -> GoalResult:
    """Met when the figure reaches the target (every figure is "more is better").

    A pending or partial figure can still change, so its goal is pending, even if a partial
    count already looks high enough. A closed figure with no value (an average over nobody)
    has not met its goal.
    """
    if figure.status != "ok":
        return GoalResult(key, target, figure.value, "pending")
    met = figure.value is not None and figure.value >= target
    return GoalResult(key, target, figure.value, "met" if met else "not_met")
