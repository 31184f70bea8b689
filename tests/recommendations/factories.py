"""Small builders for responses, actions, updates and evidence (through the services)."""

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile

from recommendations import services


def response(*, force, rec, **fields):
    obj = services.ensure_response(force=force, recommendation=rec)
    for name, value in fields.items():
        setattr(obj, name, value)
    obj.save()
    return obj


def update(*, response, by, date=None, text="Progress.", action=None, files=0):
    uploads = [
        SimpleUploadedFile(f"evidence-{i}.pdf", b"%PDF-1.4 test\n", content_type="application/pdf")
        for i in range(files)
    ]
    return services.add_update(
        response=response,
        by=by,
        date=date or dt.date.today(),
        text=text,
        action=action,
        files=uploads,
    )
