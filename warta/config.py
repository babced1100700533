"""Application shell: the typed, validated sources file (TOML).

STUB: replaced by the real implementation. Contract:
    load_config(path) -> Config(path, sources)      raises ConfigError(file, key, line, message)
    find_config_path(explicit: str | None) -> Path   (--config, then WARTA_CONFIG, then default)
    Source fields: name, kind ('feed'|'sitemap'|'listing'), start_urls, allowed_domains,
    language, schedule, article_pattern, remove_selectors, enabled
"""
