"""Pages of long lists that cost what one page costs."""

from django.core.paginator import Paginator
from django.utils.functional import cached_property


class KeyedPaginator(Paginator):
    """A Paginator over a QuerySet that sorts and slices the records' ids alone, then reads
    the page's records whole. Sorting 100,000 wide rows (a figure with its indicator, unit,
    source, case and company) spills to disk before the first 50 can be sent; sorting their
    ids is a narrow top-N sort the database keeps in memory."""

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        ids = self.page_ids(bottom, top)
        records = self.object_list.in_bulk(ids)
        return self._get_page([records[pk] for pk in ids], number, self)

    def page_ids(self, bottom, top):
        """The ids of the records from `bottom` up to `top`, in order."""
        return list(self.object_list.values_list("pk", flat=True)[bottom:top])


class GroupedPaginator(KeyedPaginator):
    """A KeyedPaginator over records listed group by group (figures indicator by indicator)
    whose groups' sizes are known: `groups` is [(the group's key, how many records it
    holds)] in the list's order, `field` the records' field holding the key. The count is
    their sum, and a page's ids are sorted among the groups the page spans only, so that a
    page of 100,000 figures sorts a few thousand of them, not all."""

    def __init__(self, object_list, per_page, *, groups, field, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.groups, self.field = groups, field

    @cached_property
    def count(self):
        return sum(size for _key, size in self.groups)

    def page_ids(self, bottom, top):
        spanned, first, start = [], None, 0
        for key, size in self.groups:
            if start < top and start + size > bottom:
                first = start if first is None else first
                spanned.append(key)
            start += size
        if not spanned:
            return []
        within = self.object_list.filter(**{f"{self.field}__in": spanned})
        return list(within.values_list("pk", flat=True)[bottom - first : top - first])
