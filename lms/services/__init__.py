"""Use cases. Each public function owns its transaction: it commits on success, leaves nothing on error."""
