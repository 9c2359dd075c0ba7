"""Admin: settings and the chart are editable; documents and entries are read-only records."""

from django.contrib import admin

from talad.accounting.models import (
    Account,
    AccountingSettings,
    Document,
    DocumentLine,
    JournalEntry,
    JournalLine,
)


class ReadOnly:
    """Issued documents and posted entries never change, not even from the admin."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AccountingSettings)
class AccountingSettingsAdmin(admin.ModelAdmin):
    list_display = ("shop", "prepaid_issue", "cod_issue", "updated_at")


@admin.register(Account)
class AccountAdmin(admin.ModelAdmin):
    list_display = ("shop", "code", "name", "kind")
    list_filter = ("kind",)
    search_fields = ("code", "name")


class DocumentLineInline(ReadOnly, admin.TabularInline):
    model = DocumentLine
    fields = ("position", "kind", "sku", "description", "quantity", "unit_price", "amount")


@admin.register(Document)
class DocumentAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ("number", "doc_type", "shop", "issue_date", "buyer_name", "total_amount")
    list_filter = ("doc_type",)
    search_fields = ("number", "buyer_name", "buyer_tax_id")
    inlines = [DocumentLineInline]


class JournalLineInline(ReadOnly, admin.TabularInline):
    model = JournalLine
    fields = ("account", "role", "debit", "credit", "memo")


@admin.register(JournalEntry)
class JournalEntryAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ("pk", "date", "description", "shop", "source_type", "source_id")
    list_filter = ("source_type",)
    inlines = [JournalLineInline]
