"""Pages of long lists that cost what one page costs."""

from django.core.paginator import Paginator


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
        ids = list(self.object_list.values_list("pk", flat=True)[bottom:top])
        records = self.object_list.in_bulk(ids)
        return self._get_page([records[pk] for pk in ids], number, self)
