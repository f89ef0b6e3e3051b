"""newsroom: a static-site generator for a Vietnamese district newsroom.

The public surface other code may import is listed in ``__all__``; everything else is private
to the package and may change.
"""

from .build import BuildOptions as BuildOptions
from .build import BuildReport as BuildReport
from .build import build as build
from .build import collect as collect
from .config import Config as Config
from .config import load_config as load_config
from .errors import BuildFailed as BuildFailed
from .errors import ConfigError as ConfigError
from .errors import ContentError as ContentError
from .errors import NewsroomError as NewsroomError
from .errors import OutputError as OutputError

__version__ = "0.1.0"

__all__ = [
    "BuildFailed",
    "BuildOptions",
    "BuildReport",
    "Config",
    "ConfigError",
    "ContentError",
    "NewsroomError",
    "OutputError",
    "__version__",
    "build",
    "collect",
    "load_config",
]
