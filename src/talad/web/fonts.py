"""Serve the Sarabun font from its PyPI package (fontpkg-sarabun, OFL) as static files.

The font is installed from a registry like any dependency and collected into static/ by
`collectstatic`, so pages never fetch it from a CDN."""

from importlib.resources import files

from django.contrib.staticfiles.finders import BaseFinder
from django.core.files.storage import FileSystemStorage

PREFIX = "web/fonts"
FONTS = ("Sarabun-Regular.ttf", "Sarabun-Bold.ttf", "Sarabun-SemiBold.ttf")


class SarabunFinder(BaseFinder):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.root = str(files("fontpkg_sarabun") / "files")
        self.storage = FileSystemStorage(location=self.root)
        self.storage.prefix = PREFIX

    def check(self, **kwargs):
        return []

    def find(self, path, find_all=False, **kwargs):
        name = path.removeprefix(PREFIX + "/")
        if path.startswith(PREFIX + "/") and name in FONTS:
            match = f"{self.root}/{name}"
            return [match] if find_all else match
        return [] if find_all else None

    def list(self, ignore_patterns):
        for name in FONTS:
            yield name, self.storage
