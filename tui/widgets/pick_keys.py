"""One behaviour for every list with a typed filter above it (issue 11): ↓/↑ in the filter
move the list's highlight, Enter opens the highlighted row — or the single match — at once;
with several matches and none highlighted, Enter goes into the list on its first row."""

from __future__ import annotations

from textual import events
from textual.widgets import Input, OptionList


def filter_key(event: events.Key, filter_input: Input, options: OptionList) -> bool:
    """Handle ↓/↑ typed in the filter by moving the list's highlight; True when handled."""
    if not filter_input.has_focus or event.key not in ("down", "up") or not options.option_count:
        return False
    event.stop()
    event.prevent_default()
    if options.highlighted is None:
        options.action_first()
    elif event.key == "down":
        options.action_cursor_down()
    else:
        options.action_cursor_up()
    return True


def submit_filter(options: OptionList) -> None:
    """Enter in the filter: open the highlighted row, or the only one; else go into the list."""
    enabled = [n for n in range(options.option_count) if not options.get_option_at_index(n).disabled]
    if not enabled:
        return
    if options.highlighted is None and len(enabled) == 1:
        options.highlighted = enabled[0]
    if options.highlighted is not None and not options.get_option_at_index(options.highlighted).disabled:
        options.action_select()
        return
    options.highlighted = enabled[0]
    options.focus()
