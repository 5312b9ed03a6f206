"""Browser end-to-end tests (make e2e): Debian chromium via Playwright, axe-core, the Nu HTML checker."""
