import sys

from goaldesk.cli import main

sys.exit(main())
