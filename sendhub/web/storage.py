"""Static files storage for production: WhiteNoise's compressed manifest storage (content-hashed names,
gzip and Brotli copies), with JavaScript module imports rewritten to the hashed names too, so
`sendhub/init.js`'s `import … from "../govuk/govuk-frontend.min.js"` loads the long-cached file."""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    support_js_module_import_aggregation = True
