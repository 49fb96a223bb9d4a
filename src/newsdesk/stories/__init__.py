"""Stories: near-duplicate wire copies and online clustering of articles into stories."""

from newsdesk.stories.cluster import ClusterOptions, StoryClusterer, StoryItem
from newsdesk.stories.dedup import find_near_duplicates

__all__ = ["ClusterOptions", "StoryClusterer", "StoryItem", "find_near_duplicates"]
