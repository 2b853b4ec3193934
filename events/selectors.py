"""Read queries for events, each with the user's visibility filter and the prefetching its API needs."""

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from core import roles
from core.models import Confidentiality
from events.models import Assembly, Incident, Place, Source


def source_links(*, user) -> QuerySet[Source]:
    """The sources `user` may see, loaded just enough to be named by uid: prefetch a record's `sources`
    with this, so a link to a source the user may not see is left out rather than leaked."""
    return Source.objects.visible_to(user).only("id", "uid")


def assembly_links(*, user) -> QuerySet[Assembly]:
    """The assemblies `user` may see, uid only: prefetch a foreign key to an assembly with this, so a link
    to an assembly the user may not see reads as none."""
    return Assembly.objects.visible_to(user).only("id", "uid")


def place_list(*, user) -> QuerySet[Place]:
    """Places (reference data: every signed-in role reads them), each with its parent."""
    return Place.objects.visible_to(user).select_related("parent")


def assembly_list(*, user) -> QuerySet[Assembly]:
    """Assemblies `user` may see, with place, causes and visible sources: a constant number of queries."""
    return (
        Assembly.objects.visible_to(user)
        .select_related("place")
        .prefetch_related("causes", Prefetch("sources", queryset=source_links(user=user)))
    )


def incident_list(*, user) -> QuerySet[Incident]:
    """Incidents `user` may see, with place, the assembly when visible, and visible sources."""
    return (
        Incident.objects.visible_to(user)
        .select_related("place")
        .prefetch_related(
            Prefetch("assembly", queryset=assembly_links(user=user)),
            Prefetch("sources", queryset=source_links(user=user)),
        )
    )


def source_list(*, user) -> QuerySet[Source]:
    """Sources `user` may see (their metadata; the file itself is served only for public sources)."""
    return Source.objects.visible_to(user)


def source_file_get(*, user, uid) -> Source:
    """The source `uid` whose stored file `user` may download, or Http404 (also when it has no file). Staff
    get the file of any source they may see; a partner only that of a public one, as the API's `file`
    link says (the file itself may name people who have not consented)."""
    sources = Source.objects.visible_to(user).exclude(file="")
    if not roles.is_case_staff(user):
        sources = sources.filter(confidentiality=Confidentiality.PUBLIC)
    return get_object_or_404(sources, uid=uid)
