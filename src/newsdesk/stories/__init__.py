"""Stories: near-duplicate wire copies, online clustering into stories, and ranking.

`StoryTracker` files stored articles under stories as they arrive (and `rebuild_stories`
does a period again); `load_story` and `load_stories` read stories back whole;
`rank_stories` orders them by what matters.
"""

from newsdesk.stories.cluster import ClusterOptions, StoryClusterer, StoryItem
from newsdesk.stories.dedup import NearDuplicateIndex, find_near_duplicates
from newsdesk.stories.items import story_item
from newsdesk.stories.rank import RankWeights, StoryScore, rank_stories, score_story
from newsdesk.stories.story import build_story, load_stories, load_story
from newsdesk.stories.tracker import StoryTracker, rebuild_stories

__all__ = [
    "ClusterOptions",
    "NearDuplicateIndex",
    "RankWeights",
    "StoryClusterer",
    "StoryItem",
    "StoryScore",
    "StoryTracker",
    "build_story",
    "find_near_duplicates",
    "load_stories",
    "load_story",
    "rank_stories",
    "rebuild_stories",
    "score_story",
    "story_item",
]
