"""«Готовность к учебному году»: what is missing before the year starts (issue 13, item 8)."""
