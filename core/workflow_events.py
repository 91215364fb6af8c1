"""Workflow events (who must be told): a lower app says what happened; a higher app (communications) registered what to do about it.

The hooks run inside the writer's transaction, so a write that is refused or rolled back tells no one; what they
queue (emails) goes after the commit. A lower app never imports the higher one: it only names the event.
(Business events for webhooks and chat are core/events.py: recorded for outside systems, not people.)
"""

from collections.abc import Callable

_hooks: dict[str, list[Callable]] = {}


def workflow_register(name: str, hook: Callable) -> None:
    """Call `hook(**payload)` whenever the event `name` is emitted (once per hook, however often registered)."""
    hooks = _hooks.setdefault(name, [])
    if hook not in hooks:
        hooks.append(hook)


def workflow_emit(name: str, **payload) -> None:
    """Run the hooks registered for an event, in the order they were registered."""
    for hook in _hooks.get(name, ()):
        hook(**payload)
