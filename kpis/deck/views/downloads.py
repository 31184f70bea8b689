"""A tidy table and its metadata as the response a download asks for: CSV, ZIP or XLSX."""

from django.http import HttpResponse

from soteria.exports import XLSX_TYPE, Table, csv_text, xlsx_bytes, zip_bytes


def download_response(data: Table, about: Table, *, name: str, fmt: str, title: str):
    if fmt == "csv":
        response = HttpResponse(csv_text(data), content_type="text/csv; charset=utf-8")
    elif fmt == "zip":
        response = HttpResponse(
            zip_bytes({f"{name}.csv": data, f"{name}-about.csv": about}),
            content_type="application/zip",
        )
    else:
        response = HttpResponse(xlsx_bytes([data, about], title=title), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    response["Cache-Control"] = "private, no-store"
    return response
