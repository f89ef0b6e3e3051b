"""Pelican settings for the benchmark: the same articles as newsroom's corpus.

bench/corpus.py --format pelican writes the articles; bench/run.py copies this file next to
them and runs  pelican CORPUS/content -s pelicanconf.py -o OUT -q. The site is made comparable
to newsroom's: articles, paginated index, category, tag and author pages (20 a page), year and
month archives and feeds. Default theme (notmyidea).
"""

AUTHOR = "Ban biên tập"
SITENAME = "Cổng thông tin điện tử huyện Gia Lâm (bench)"
SITEURL = "https://gialam.example"
RELATIVE_URLS = True
TIMEZONE = "Asia/Ho_Chi_Minh"
DEFAULT_LANG = "vi"
DEFAULT_PAGINATION = 20

# Slugs repeat across years (the same title in another year): keep them apart by year, and do
# not treat two articles with the same slug as translations of each other.
ARTICLE_URL = "{date:%Y}/{date:%m}/{slug}/"
ARTICLE_SAVE_AS = "{date:%Y}/{date:%m}/{slug}/index.html"
ARTICLE_TRANSLATION_ID = None

YEAR_ARCHIVE_URL = "{date:%Y}/"
YEAR_ARCHIVE_SAVE_AS = "{date:%Y}/index.html"
MONTH_ARCHIVE_URL = "{date:%Y}/{date:%m}/"
MONTH_ARCHIVE_SAVE_AS = "{date:%Y}/{date:%m}/index.html"

FEED_ALL_ATOM = "feeds/all.atom.xml"
FEED_ALL_RSS = "feeds/all.rss.xml"
CATEGORY_FEED_ATOM = "feeds/{slug}.atom.xml"
TAG_FEED_ATOM = "feeds/tag/{slug}.atom.xml"
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
FEED_MAX_ITEMS = 20

# no content cache: every run is a cold build, as newsroom's --clean
LOAD_CONTENT_CACHE = False
CACHE_CONTENT = False
