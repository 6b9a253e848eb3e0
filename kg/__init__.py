"""kg: Chinese local newspaper issues -> a knowledge graph."""

__version__ = "0.1.0"
# Bumped when extraction changes, so reloads can tell stale facts (see README).
PIPELINE_VERSION = "2"  # 2: the learned entity tagger, jurisdiction bodies, outlets
