"""Writes water-cooperation.docx, the Word version of water-cooperation.md, with python-docx.

Run from this folder: python make_docx.py. The file is kept in the repository so
that the import tests read a Word file made once, as a user's would be.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import docx
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

HERE = Path(__file__).resolve().parent


def add_link(paragraph, text: str, url: str) -> None:
    rid = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), rid)
    run = OxmlElement("w:r")
    t = OxmlElement("w:t")
    t.text = text
    run.append(t)
    link.append(run)
    paragraph._p.append(link)


def main() -> None:
    d = docx.Document()
    props = d.core_properties
    props.title = "The Avaria–Corventa Water Partnership"
    props.author = "briefgen tests"
    props.created = props.modified = dt.datetime(2023, 3, 3, 12, 0, 0)
    props.last_modified_by = "briefgen tests"
    props.revision = 1

    d.add_heading("The Avaria–Corventa Water Partnership", 0)
    d.add_paragraph("Office of Transboundary Water Affairs")
    d.add_paragraph("Fact Sheet", style="Subtitle")
    d.add_paragraph("March 3, 2023")
    p = d.add_paragraph()
    p.add_run("This fact sheet describes a fictional program; it exists to test how briefgen imports "
              "documents.").italic = True
    d.add_paragraph(
        "The Avaria–Corventa Water Partnership is a bilateral program that helps two neighboring countries manage "
        "the rivers and aquifers they share. Launched in 2015, it brings together the two national water agencies, "
        "six provincial governments and more than 40 municipal utilities. The partnership rests on a simple idea: "
        "water that crosses a border is best measured, planned and protected together.")

    d.add_heading("Shared Basins and Monitoring", 1)
    p = d.add_paragraph("The two countries share three river basins and one large aquifer, which together supply "
                        "drinking water to about 9.5 million people. Since 2016, the partners have installed ")
    p.add_run("118 joint monitoring stations").bold = True
    p.add_run(" that report river levels, flow and water quality every 15 minutes. The readings are published on "
              "a ")
    add_link(p, "common portal", "https://example.org/water-portal")
    p.add_run(" that both agencies and the public can consult.")
    table = d.add_table(rows=1, cols=3)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, ["Basin", "Monitoring stations", "Main use of water"]):
        cell.text = text
    for row in [("Lower Tavra", "52", "Drinking water"), ("Upper Tavra", "31", "Irrigation"),
                ("Mirel Valley", "23", "Irrigation"), ("Osk Aquifer", "12", "Drinking water")]:
        cells = table.add_row().cells
        for cell, text in zip(cells, row):
            cell.text = text
    d.add_paragraph(
        "In the Lower Tavra basin, where most of the population lives, shared monitoring has cut the time needed "
        "to issue a flood warning from two days to about six hours. Officials on both sides describe the shared "
        "data as the program's most valuable result.")

    d.add_heading("Funding and Projects", 1)
    d.add_paragraph(
        "Avaria and Corventa each pay into a joint fund, which reached $212 million in 2022. About 60 percent of "
        "the fund finances infrastructure such as treatment plants and canal repairs; the rest supports "
        "monitoring, research and training. Projects are chosen by a binational board of eight members, four "
        "appointed by each government.")
    d.add_paragraph(
        "The largest single project, the Mirel Valley pipeline, will deliver 45 million cubic meters of water a "
        "year to farms on both sides of the border when it is finished in 2025. Grants of up to $250,000 help "
        "rural communities repair wells and install meters. Figures marked with an asterisk (*) in the annual "
        "report are provisional.")

    d.add_heading("Drought Preparedness", 1)
    d.add_paragraph(
        "Droughts in 2018 and 2021 put the partnership to the test. During the 2021 drought, the two countries "
        "agreed for the first time on a shared schedule for cutting withdrawals from the Tavra River. Farmers "
        "received notice of each cut a week in advance, and no city on either side had to ration drinking water.")
    d.add_paragraph(
        "A joint drought plan, adopted in 2022, sets out four alert levels and the steps each government takes at "
        "every level. The plan is reviewed every three years by the R&D committee of the binational board.")

    d.add_heading("Training and Exchanges", 1)
    d.add_paragraph(
        "Each year, about 150 engineers, technicians and students take part in exchanges between the two water "
        "agencies. Courses cover hydrology, leak detection, water-quality testing and the management of shared "
        "data. A summer school for young professionals, held in each country in turn, has trained more than 600 "
        "participants since 2016.")

    d.add_heading("Contacts and Further Reading", 1)
    d.add_paragraph("Questions about the partnership may be sent to the program secretariat. The following "
                    "documents are available on request:")
    for item in ["Partnership Agreement of 2015", "Joint Drought Plan (2022 edition)",
                 "Annual Report of the Binational Board", "Monitoring Network Technical Manual",
                 "Guide to Small Grants for Rural Communities"]:
        d.add_paragraph(item, style="List Bullet")
    d.save(HERE / "water-cooperation.docx")


if __name__ == "__main__":
    main()
