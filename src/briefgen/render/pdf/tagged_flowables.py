"""Flowables as tagged content (see :mod:`.tagging`): a leaf flowable is one marked-content sequence of its
structure element; tables and lists keep their decoration out of the structure; the builder mixin makes the
elements as the story is built, in reading order."""

from __future__ import annotations

from contextlib import contextmanager

from .tagging import LAYOUT, PAGINATION, Element, StructureTree, _Content, artifact, marked, tagging

ARTIFACT = "Artifact"  # what tag() takes for a flowable that is all decoration


def _link_texts(flowable) -> dict[str, str]:
    """Each link target in a paragraph (an URL, or a destination name without its '#') -> its text."""
    lines = getattr(getattr(flowable, "blPara", None), "lines", None) or []
    out: dict[str, list[str]] = {}
    for line in lines:
        for frag in getattr(line, "words", None) or []:
            for _, href in getattr(frag, "link", None) or []:
                out.setdefault(href.lstrip("#"), []).append(getattr(frag, "text", ""))
    return {k: " ".join("".join(v).split()) for k, v in out.items()}


class _Leaf:
    """Mixed into a flowable's class by :func:`tag`: its drawing is marked as content of ``_element``."""

    _element: Element | str | None = None
    _label: Element | None = None

    def drawOn(self, canv, x, y, _sW=0):
        if not tagging(canv) or self._element is None:
            return super().drawOn(canv, x, y, _sW)
        if self._element == ARTIFACT or self.__dict__.get("_drawn"):
            with artifact(canv, PAGINATION if self.__dict__.get("_drawn") else LAYOUT):
                return super().drawOn(canv, x, y, _sW)
        self._drawn = True
        if self._label is not None:
            return self._draw_labelled(canv, x, y, _sW)
        canv.begin_marked(self._element, lambda: _link_texts(self))
        try:
            return super().drawOn(canv, x, y, _sW)
        finally:
            canv.end_marked()

    def _draw_labelled(self, canv, x, y, _sW):
        """A paragraph whose bullet is its list item's label: the bullet's text object is marked as the
        label, the rest as the body (reportlab draws the bullet first, in a text object of its own)."""
        code = canv._code
        start = len(code)
        canv._open.append((self._element, lambda: _link_texts(self)))  # links drawn inside belong to the body
        try:
            super().drawOn(canv, x, y, _sW)
        finally:
            canv._open.pop()
        drawn = code[start:]
        first = next((i for i, op in enumerate(drawn) if op.lstrip().startswith("BT")), None)
        if first is None:
            return
        label_mc = len(canv._marks)
        canv._marks.extend([self._label, self._element])
        page = canv._pageNumber
        self._label.kids.append(_Content(("mc", page, label_mc)))
        self._element.kids.append(_Content(("mc", page, label_mc + 1)))
        end = len(drawn)  # the body ends before the graphics states the paragraph restores at its end
        while end > first + 1 and drawn[end - 1].strip() == "Q":
            end -= 1
        code[start:] = (drawn[:first] + [f"/{self._label.role} <</MCID {label_mc}>> BDC", drawn[first], "EMC",
                        f"/{self._element.role} <</MCID {label_mc + 1}>> BDC"] + drawn[first + 1:end] + ["EMC"]
                        + drawn[end:])

    def split(self, aw, ah):
        parts = super().split(aw, ah)
        for i, part in enumerate(parts):
            if part is not self:
                part._element = self._element
                part._label = self._label if i == 0 else None
        return parts


_LEAF_CLASSES: dict[type, type] = {}


def tag(flowable, element: Element | str | None, label: Element | None = None):
    """Make ``flowable`` a leaf of ``element`` (or an artifact, with ``ARTIFACT``) and return it; with
    ``label``, a paragraph's bullet becomes that label element's content. ``None`` leaves it as it is."""
    if element is None:
        return flowable
    cls = type(flowable)
    if not issubclass(cls, _Leaf):
        leaf = _LEAF_CLASSES.get(cls)
        if leaf is None:
            leaf = _LEAF_CLASSES[cls] = type(cls.__name__, (_Leaf, cls), {"__module__": cls.__module__})
        flowable.__class__ = leaf
    flowable._element = element
    flowable._label = label
    return flowable


class _TableMixin:
    """Mixed into a table's class by :func:`tag_table`: its backgrounds, rules and text-cell strings are
    artifacts; its flowable cells mark themselves."""

    def _drawBkgrnd(self):
        with artifact(self.canv):
            super()._drawBkgrnd()

    def _drawLines(self):
        with artifact(self.canv):
            super()._drawLines()

    def _drawCell(self, cellval, cellstyle, pos, size):
        if isinstance(cellval, (list, tuple)) or hasattr(cellval, "drawOn"):
            return super()._drawCell(cellval, cellstyle, pos, size)
        with artifact(self.canv):  # an empty string cell (a gap between fact cards) is drawn as text
            return super()._drawCell(cellval, cellstyle, pos, size)


_TABLE_CLASSES: dict[type, type] = {}


def tag_table(table, element: Element | None = None, header_rows: int = 0, tree_on: bool = True):
    """A reportlab table whose decoration is artifact. With ``element`` (a ``Table`` element), each row
    becomes a ``TR`` and each cell a ``TH`` (the first ``header_rows`` rows, scoped to their column) or
    ``TD`` whose flowables are its content. Without it, the table only lays out what is inside."""
    if not tree_on:
        return table
    cls = type(table)
    if not issubclass(cls, _TableMixin):
        sub = _TABLE_CLASSES.get(cls)
        if sub is None:
            sub = _TABLE_CLASSES[cls] = type(cls.__name__, (_TableMixin, cls), {"__module__": cls.__module__})
        table.__class__ = sub
    if element is not None:
        for r, row in enumerate(table._cellvalues):
            tr = element.add("TR")
            for cell in row:
                head = r < header_rows
                el = tr.add("TH", attrs={"O": "Table", "Scope": "Column"}) if head else tr.add("TD")
                for f in cell if isinstance(cell, (list, tuple)) else [cell]:
                    if hasattr(f, "drawOn"):
                        tag(f, el)
    return table


class _Label:
    """A list item's bullet or number, drawn as the content of its ``Lbl`` element."""

    def __init__(self, drawer, element: Element):
        self._drawer, self._element = drawer, element

    def drawOn(self, indenter, canv, x, y, _sW=0):
        with marked(canv, self._element):
            self._drawer.drawOn(indenter, canv, x, y, _sW)

    def __getattr__(self, name):
        return getattr(self._drawer, name)


class _ListMixin:
    """Mixed into a ListFlowable's class by :func:`tag_list`: each item's bullet is drawn as its label."""

    def _makeLIIndenter(self, flowable, bullet, params=None):
        label = getattr(flowable, "_item_label", None)
        if bullet is not None and label is not None:
            bullet = _Label(bullet, label)
        return super()._makeLIIndenter(flowable, bullet, params)


_LIST_CLASSES: dict[type, type] = {}


def tag_list(flowable):
    """A reportlab ListFlowable whose items' bullets are drawn as the labels set with :func:`label_item`."""
    cls = type(flowable)
    if not issubclass(cls, _ListMixin):
        sub = _LIST_CLASSES.get(cls)
        if sub is None:
            sub = _LIST_CLASSES[cls] = type(cls.__name__, (_ListMixin, cls), {"__module__": cls.__module__})
        flowable.__class__ = sub
    return flowable


def label_item(first_flowable, label: Element | None) -> None:
    """Mark the first flowable of a list item so that the item's bullet is drawn as ``label``."""
    if label is not None:
        first_flowable._item_label = label


class StructureBuilding:
    """The structure-making half of a PDF renderer (a part of the builder): ``self.tree`` is its
    :class:`StructureTree`, or None when the PDF is not tagged (then every method here does nothing)."""

    tree: StructureTree | None = None
    _parents: list[Element]

    def use_tree(self, tree: StructureTree | None, parent: Element | None = None) -> None:
        """Build into ``tree``, under ``parent`` (its Document element when None): how a document holding
        several briefings (a book) has each part's renderer add its structure to the book's own tree."""
        self.tree = tree
        self._parents = [parent or tree.root] if tree is not None else []

    def struct(self, role: str, **kw) -> Element | None:
        """A new element under the current parent (the document, a section, a list item…)."""
        if self.tree is None:
            return None
        if not self.__dict__.get("_parents"):
            self._parents = [self.tree.root]
        return self._parents[-1].add(role, **kw)

    @contextmanager
    def inside(self, element: Element | None):
        """Elements made inside are made under ``element``."""
        if element is None:
            yield None
            return
        if not self.__dict__.get("_parents"):
            self._parents = [self.tree.root]
        self._parents.append(element)
        try:
            yield element
        finally:
            self._parents.pop()

    def tag(self, flowable, role: str | Element | None, label: Element | None = None, **kw):
        """``flowable`` made a leaf of a new element of ``role`` (or of the given element, or an artifact)."""
        if self.tree is None or role is None or flowable is None:
            return flowable
        element = role if isinstance(role, Element) or role == ARTIFACT else self.struct(role, **kw)
        return tag(flowable, element, label)


def tag_sections(builder: StructureBuilding, pieces: list[tuple[object, str, object]]) -> None:
    """Tag a run of ``(section, kind, flowable)`` in reading order: a ``Sect`` for each new section,
    holding a ``title`` as its H2, each ``point`` as an item of one list (the flowable's bullet its label),
    anything else as a paragraph."""
    if builder.tree is None:
        return
    sect = points = previous = None
    for n, (section, kind, flowable) in enumerate(pieces):
        if n == 0 or section != previous:
            sect, points, previous = builder.struct("Sect"), None, section
        with builder.inside(sect):
            if kind == "title":
                builder.tag(flowable, "H2")
            elif kind == "point":
                points = points or builder.struct("L", attrs={"O": "List", "ListNumbering": "Square"})
                with builder.inside(points), builder.inside(builder.struct("LI")):
                    builder.tag(flowable, "LBody", label=builder.struct("Lbl"))
            else:
                builder.tag(flowable, "P")
