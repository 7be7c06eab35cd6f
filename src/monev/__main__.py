import sys

from monev.cli.main import main

sys.exit(main())
