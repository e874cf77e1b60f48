"""Display names of content codes (topics), translated where shown."""

from amane.i18n import N_

TOPIC_NAMES = {
    "cyberbullying": N_("Cyberbullying"),
    "personal_info": N_("Personal information"),
    "passwords": N_("Passwords"),
    "relationships": N_("Online relationships"),
    "images_consent": N_("Photos and consent"),
    "sexual_images": N_("Images and pressure"),
    "digital_footprint": N_("Digital footprint"),
    "misinformation": N_("True or false online"),
    "scams": N_("Scams"),
    "wellbeing": N_("Well-being and balance"),
    "hate_speech": N_("Hate speech"),
    "copyright": N_("Creating and sharing others' work"),
    "getting_help": N_("Getting help"),
}
