"""GET /people/<uid>/dossier.pdf: the person's history as a PDF to download (cases.dossier)."""

from django.http import HttpResponse
from django.utils.cache import add_never_cache_headers
from django.views import View

from cases.dossier import dossier_filename, person_dossier_download
from core.models import ReadKind
from core.pages import StaffPageMixin
from core.services import read_log_record
from people.selectors import person_get


class PersonDossierView(StaffPageMixin, View):
    """The dossier, as an attachment. 404 for a person the user may not see; never cached, since it holds
    what one user may see on one day."""

    # No HEAD: it would render and audit a download that never reaches anyone.
    http_method_names = ["get", "options"]

    def get(self, request, uid):
        person = person_get(user=request.user, uid=uid)
        pdf = person_dossier_download(user=request.user, person=person)
        read_log_record(request_or_user=request, what=ReadKind.DOSSIER_PDF, obj=person)
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{dossier_filename(person)}"'
        add_never_cache_headers(response)
        return response
