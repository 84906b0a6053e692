"""Use cases. Each public function that writes runs in one transaction (`transactions.transactional`): it
commits when it returns, leaves nothing when it raises, and joins its caller's transaction when called from
another use case."""
