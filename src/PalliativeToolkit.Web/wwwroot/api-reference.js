// The API reference page (Scalar's, at /api/reference) is written without a language: the portal's pages are English.
document.documentElement.lang = 'en';
