"""What the deck's pages do with a quarter they cannot show: the page goes to the default
quarter saying why; a download is a 404 saying which quarters exist."""

from django.contrib import messages
from django.http import QueryDict
from django.shortcuts import redirect, render

from .. import periods


def refusal_text(refusal: periods.PeriodRefused, available, *, redirected: bool) -> str:
    default = periods.default_period(available)
    showing = (
        f"Showing {default.label}, the latest complete quarter with figures."
        if redirected and default in available
        else ""
    )
    return " ".join(filter(None, [str(refusal), showing, periods.describe_available(available)]))


def refuse_period(request, refusal: periods.PeriodRefused, available):
    """Back to the same page on the default quarter, saying why the one asked for is not
    shown and which quarters are: a stale bookmark or a mistyped link lands on figures, with
    the reason, rather than on an empty deck or an error page."""
    messages.warning(request, refusal_text(refusal, available, redirected=True))
    query = QueryDict(mutable=True)
    query.update({k: v for k, v in request.GET.items() if k != "period"})
    return redirect(f"{request.path}?{query.urlencode()}" if query else request.path)


def refuse_download(request, refusal: periods.PeriodRefused, available, page_url: str):
    """A download is a file of one quarter's figures, so it is never swapped for another
    quarter's: it is a 404 that says why and links to the quarters that exist."""
    return render(
        request,
        "kpis/deck/period_refused.html",
        {
            "message": refusal_text(refusal, available, redirected=False),
            "periods": periods.selectable_periods(available),
            "page_url": page_url,
        },
        status=404,
    )
