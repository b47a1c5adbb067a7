"""Tagged PDF (PDF/UA-1): the structure tree, marked page content, artifacts, and the catalogue entries
that go with them, for every PDF briefgen draws with reportlab.

How it fits together:

- a :class:`StructureTree` holds the structure elements (:class:`Element`) in reading order; a
  renderer makes them as it builds its story, which is already in reading order;
- :func:`.tagged_flowables.tag` makes a flowable a *leaf*: everything it draws becomes one marked-content sequence
  (``/P <</MCID n>> BDC ... EMC``) of its element, or an artifact; a split flowable's parts stay
  leaves of the same element, and a leaf drawn a second time (a table's header row repeated on the
  next page) is an artifact;
- :func:`.tagged_flowables.tag_table` and :func:`.tagged_flowables.tag_list` make a table's backgrounds and rules, and a list's
  bullets, what they are (artifacts, labels); :func:`marked` and :func:`artifact` mark what a
  renderer draws on the canvas itself (page furniture, a slide's boxes);
- :class:`TaggingCanvas` numbers the marked content of each page, links each link annotation
  to a ``Link`` element (``/OBJR``, ``/StructParent``, a ``/Contents`` with the link's text), and
  when saved writes the tree with reportlab's own PDF objects: ``/StructTreeRoot`` with its
  ``/ParentTree``, ``/StructParents`` and ``/Tabs /S`` on each page, ``/MarkInfo``,
  ``/ViewerPreferences /DisplayDocTitle`` and XMP metadata declaring PDF/UA-1.

The tree is written in the same pass that writes the PDF (reportlab resolves the references), so
tagging costs no second parse of the file and adds no dependency. A canvas that was never given a
tree (``start_tagging``) draws exactly as reportlab's own: every hook here is then a no-op.
"""

from __future__ import annotations

from contextlib import contextmanager
from collections.abc import Iterator
from xml.sax.saxutils import escape

from reportlab.pdfbase.pdfdoc import (
    XMP,
    LinkAnnotation,
    PDFDictionary,
    PDFName,
    PDFObject,
    PDFObjectReference,
    PDFPage,
    PDFString,
)
from reportlab.pdfgen.canvas import Canvas

PAGINATION = "Pagination"  # artifact types (ISO 32000-1, 14.8.2.2.2)
LAYOUT = "Layout"
_PAGE_KEYS = ("StructParents", "Tabs")  # page entries reportlab's PDFPage does not know


class Element:
    """A structure element: its standard type (``P``, ``H2``, ``Table``…), attributes, and its kids in
    reading order: elements, marked content (page number, MCID) and annotations (page number, name).

    ``alt`` is the element's alternate description (a figure's), ``attrs`` an attribute dictionary
    (``{"O": "Table", "Scope": "Column"}``), ``contents`` what a link annotation under it says when
    the link's own text is not known.
    """

    __slots__ = ("alt", "attrs", "contents", "kids", "parent", "role")

    def __init__(self, role: str, parent: Element | None = None, *, alt: str | None = None,
                 attrs: dict[str, str] | None = None, contents: str | None = None):
        self.role, self.kids, self.alt, self.attrs, self.contents = role, [], alt, attrs, contents
        self.parent = parent
        if parent is not None:
            parent.kids.append(self)

    def add(self, role: str, **kw) -> Element:
        """A new element as this one's last kid."""
        return Element(role, self, **kw)

    def elements(self) -> Iterator[Element]:
        """This element and every element beneath it, in reading order."""
        yield self
        for kid in self.kids:
            if isinstance(kid, Element):
                yield from kid.elements()

    def has_content(self) -> bool:
        return any(not isinstance(k, Element) or k.has_content() for k in self.kids)

    def __repr__(self) -> str:
        return f"Element({self.role}, {len(self.kids)} kids)"


class _Content(tuple):
    """A kid of an element: marked content ``("mc", page, mcid)`` or an annotation ``("annot", page, name)``."""


class StructureTree:
    """A document's structure: the ``Document`` element, its language and title, and what is needed to write
    it: the elements each page's marked content belongs to, and the annotations' elements."""

    def __init__(self, lang: str, title: str):
        self.lang, self.title = lang, title
        self.root = Element("Document")
        self.parent_keys: dict[int, object] = {}  # /ParentTree: key -> list of elements by MCID, or a Link element
        self._next_key = 0

    def key(self, value) -> int:
        """A new /StructParent(s) key standing for ``value``."""
        k = self._next_key
        self._next_key += 1
        self.parent_keys[k] = value
        return k

    # -- writing ----------------------------------------------------------------------------------
    def write(self, canv: Canvas, description: str = "", author: str = "", date: str | None = None) -> None:
        """Put the tree and the tagged PDF's catalogue entries into the canvas's document (before it is saved).

        Each element is one indirect object, written as ready text (:class:`_Raw`): a document has thousands
        of them, and reportlab's general dictionary objects cost ten times as much to write."""
        doc = canv._doc
        elements = [e for e in self.root.elements() if e is self.root or e.has_content()]
        names = {id(e): f"StructElem{n + 1}" for n, e in enumerate(elements)}
        for e in elements:
            parts: list = [b"<< /Type /StructElem /S /" + e.role.encode("ascii") + b" /P ",
                           names[id(e.parent)] if e.parent is not None else "StructTreeRoot"]
            kids: list = []
            first_page = None
            for kid in e.kids:
                if isinstance(kid, Element):
                    if id(kid) in names:
                        kids += [b" ", names[id(kid)]]
                    continue
                kind, page, value = kid
                if first_page is None:
                    first_page = page
                if kind == "mc" and page == first_page:
                    kids.append(b" %d" % value)
                elif kind == "mc":
                    kids += [b" << /Type /MCR /Pg ", f"Page{page}", b" /MCID %d >>" % value]
                else:
                    kids += [b" << /Type /OBJR /Pg ", f"Page{page}", b" /Obj ", doc.annotationName(value), b" >>"]
            if first_page is not None:
                parts += [b" /Pg ", f"Page{first_page}"]
            if kids:
                parts += [b" /K [", *kids, b" ]"]
            if e.alt is not None:
                parts += [b" /Alt ", PDFString(e.alt)]
            if e.attrs:
                parts.append(b" /A <<" + b"".join(b" /%s /%s" % (k.encode("ascii"), v.encode("ascii"))
                                                 for k, v in e.attrs.items()) + b" >>")
            parts.append(b" >>")
            doc.Reference(_Raw(parts), names[id(e)])
        nums: list = [b"<< /Nums ["]
        for key in sorted(self.parent_keys):
            value = self.parent_keys[key]
            nums.append(b" %d " % key)
            if isinstance(value, Element):
                nums.append(names.get(id(value), b"null"))
            else:
                nums.append(b"[")
                for v in value:
                    nums += [b" ", names.get(id(v), b"null")]
                nums.append(b" ]")
        nums.append(b" ] >>")
        doc.Reference(_Raw(nums), "ParentTree")
        doc.Reference(_Raw([b"<< /Type /StructTreeRoot /K ", names[id(self.root)], b" /ParentTree ", "ParentTree",
                            b" /ParentTreeNextKey %d >>" % self._next_key]), "StructTreeRoot")
        cat = doc.Catalog
        cat.StructTreeRoot = PDFObjectReference("StructTreeRoot")
        cat.MarkInfo = PDFDictionary({"Marked": "true"})
        cat.Lang = PDFString(self.lang)
        canv.setViewerPreference("DisplayDocTitle", "true")
        cat.Metadata = _xmp(self.title, author, description, self.lang, date)


class _Raw(PDFObject):
    """A PDF object written as given: byte strings, the reportlab names of other objects (written as
    references to them) and reportlab objects (strings, written with the document's escaping). The bytes
    are joined once, into a template whose gaps the references and strings fill when the file is written."""

    def __init__(self, parts: list):
        template, self.fills = [], []
        for p in parts:
            if isinstance(p, bytes):
                template.append(p.replace(b"%", b"%%"))
            else:
                template.append(b"%s")
                self.fills.append(p)
        self.template = b"".join(template)

    def format(self, document) -> bytes:
        ids = document.idToObjectNumberAndVersion
        return self.template % tuple(b"%d %d R" % ids[p] if isinstance(p, str) else p.format(document)
                                     for p in self.fills)


def _xmp(title: str, author: str, description: str, lang: str, date: str | None) -> XMP:
    """The XMP packet: title, author, subject, language, dates, and the PDF/UA-1 identification."""
    def alt(text: str) -> str:
        return f'<rdf:Alt><rdf:li xml:lang="x-default">{escape(text)}</rdf:li></rdf:Alt>'

    when = ""
    if date:  # D:YYYYMMDDHHmmSS... -> YYYY-MM-DDTHH:mm:SSZ
        d = date[2:]
        iso = f"{d[0:4]}-{d[4:6]}-{d[6:8]}T{d[8:10]}:{d[10:12]}:{d[12:14]}Z"
        when = f"<xmp:CreateDate>{iso}</xmp:CreateDate><xmp:ModifyDate>{iso}</xmp:ModifyDate>"
    creator = f"<dc:creator><rdf:Seq><rdf:li>{escape(author)}</rdf:li></rdf:Seq></dc:creator>" if author else ""
    subject = f"<dc:description>{alt(description)}</dc:description>" if description else ""
    packet = (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/"'
        ' xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">'
        f"<dc:format>application/pdf</dc:format><dc:title>{alt(title)}</dc:title>{creator}{subject}"
        f"<dc:language><rdf:Bag><rdf:li>{escape(lang)}</rdf:li></rdf:Bag></dc:language>"
        f"<xmp:CreatorTool>briefgen</xmp:CreatorTool>{when}<pdfuaid:part>1</pdfuaid:part>"
        '</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>')
    return XMP(creator=lambda doc: packet.encode("utf-8"))


# -- the canvas ------------------------------------------------------------------------------------
class TaggingCanvas(Canvas):
    """A reportlab canvas that can mark what it draws; inert (reportlab's canvas as it is) until
    :meth:`start_tagging` gives it a tree."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._tags: StructureTree | None = None
        self._marks: list[Element] = []  # this page's marked content: MCID -> element
        self._open: list[tuple[Element | None, dict[str, str]]] = []  # the marked sequences being drawn
        self._target: str | None = None
        self._tag_info: dict = {}

    def start_tagging(self, tree: StructureTree, description: str = "", author: str = "",
                      date: str | None = None) -> None:
        self._tags = tree
        self._tag_info = {"description": description, "author": author, "date": date}

    @property
    def tree(self) -> StructureTree | None:
        return self._tags

    def _startPage(self):
        super()._startPage()
        self._marks = []  # a new list: a held page keeps its own

    # -- marking ----------------------------------------------------------------------------------
    def begin_marked(self, element: Element, links=None) -> None:
        """Begin a marked-content sequence of ``element``; ``links`` (a dict, or a function making one) says what
        the links drawn inside say, by target."""
        mcid = len(self._marks)
        self._marks.append(element)
        element.kids.append(_Content(("mc", self._pageNumber, mcid)))
        self._code.append(f"/{element.role} <</MCID {mcid}>> BDC")
        self._open.append((element, links or {}))

    def begin_artifact(self, kind: str = LAYOUT, subtype: str | None = None) -> None:
        extra = f" /Subtype /{subtype}" if subtype else ""
        self._code.append(f"/Artifact <</Type /{kind}{extra}>> BDC")
        self._open.append((None, {}))

    def end_marked(self) -> None:
        self._code.append("EMC")
        self._open.pop()

    # -- links ------------------------------------------------------------------------------------
    def linkRect(self, contents, destinationname, *args, **kwargs):
        self._target = destinationname
        return super().linkRect(contents, destinationname, *args, **kwargs)

    def linkURL(self, url, *args, **kwargs):
        self._target = url
        return super().linkURL(url, *args, **kwargs)

    def _addAnnotation(self, annotation, name=None, addtopage=1):
        if self._tags is None:
            return super()._addAnnotation(annotation, name, addtopage)
        name = name or f"NUMBER{self._annotationCount + 1}"
        super()._addAnnotation(annotation, name, addtopage)
        owner, links = next(((e, ln) for e, ln in reversed(self._open) if e is not None), (None, {}))
        links = links() if callable(links) else links  # worked out only for a paragraph that has a link
        if owner is None:
            owner = self._tags.root
        link = owner if owner.role == "Link" else owner.add("Link")
        link.kids.append(_Content(("annot", self._pageNumber, name)))
        target = (self._target or "").lstrip("#")
        text = links.get(target) or link.contents or owner.contents or self._target or ""
        key = self._tags.key(link)
        if isinstance(annotation, LinkAnnotation):
            annotation.permitted = (*annotation.permitted, "StructParent")
            annotation.otherkw["StructParent"] = key
            if not annotation.Contents:
                annotation.Contents = text
        else:
            annotation["StructParent"] = key
            annotation["Contents"] = PDFString(text)
        self._target = None

    def lines(self, linelist):
        """Lines drawn outside any marked content (reportlab's crop marks) are decoration."""
        if self._tags is None or self._open:
            return super().lines(linelist)
        with artifact(self, PAGINATION):
            super().lines(linelist)

    # -- pages and saving ---------------------------------------------------------------------------
    def _setAnnotations(self, page):
        super()._setAnnotations(page)
        if self._tags is not None and isinstance(page, PDFPage):
            page.__NoDefault__ = [*PDFPage.__NoDefault__, *_PAGE_KEYS]
            page.StructParents = self._tags.key(list(self._marks))
            page.Tabs = PDFName("S")

    def save(self):
        if len(self._code):
            self.showPage()
        if self._tags is not None:
            self._tags.write(self, **self._tag_info)
        super().save()


def tagging(canv) -> bool:
    """Whether ``canv`` marks its content."""
    return getattr(canv, "_tags", None) is not None


@contextmanager
def marked(canv, element: Element | None, links: dict[str, str] | None = None):
    """What is drawn inside is one marked-content sequence of ``element`` (nothing when ``element`` is None
    or the canvas does not tag)."""
    if element is None or not tagging(canv):
        yield
        return
    canv.begin_marked(element, links)
    try:
        yield
    finally:
        canv.end_marked()


@contextmanager
def artifact(canv, kind: str = LAYOUT, subtype: str | None = None):
    """What is drawn inside is an artifact: page furniture (``PAGINATION``) or decoration (``LAYOUT``)."""
    if not tagging(canv):
        yield
        return
    canv.begin_artifact(kind, subtype)
    try:
        yield
    finally:
        canv.end_marked()
