"""asyncfit's decision engine (placeholder: the wizard issue fills this in)."""

__all__: list[str] = []
