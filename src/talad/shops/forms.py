from django import forms
from django.utils.translation import gettext_lazy as _

from talad.forms import OnceForm
from talad.shops.models import Role, Shop


class ShopProfileForm(forms.ModelForm):
    class Meta:
        model = Shop
        fields = [
            "name",
            "tax_id",
            "branch_code",
            "address",
            "vat_registered",
            "prices_include_vat",
            "vat_rate",
        ]
        widgets = {"address": forms.Textarea(attrs={"rows": 3})}


class MemberForm(OnceForm):
    email = forms.EmailField(label=_("อีเมล"))
    role = forms.ChoiceField(label=_("สิทธิ์การใช้งาน"), choices=Role.choices)
    password = forms.CharField(
        label=_("รหัสผ่าน (สำหรับผู้ใช้ใหม่)"), required=False, widget=forms.PasswordInput, min_length=8
    )


class TokenForm(OnceForm):
    name = forms.CharField(label=_("ชื่อ (ใช้ทำอะไร)"), max_length=100, required=False)
    role = forms.ChoiceField(label=_("สิทธิ์การใช้งาน"), choices=Role.choices, initial=Role.STAFF)
