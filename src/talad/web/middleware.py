"""Thai first: pages open in Thai unless the person chose English with the language button.

Django's LocaleMiddleware would otherwise follow the browser's Accept-Language, so a Thai
seller whose phone is set to English would land in English. API clients keep choosing their
language with Accept-Language."""


class ThaiFirstMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith("/api/"):
            request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)
