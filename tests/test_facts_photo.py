"""Olu uploads Dr Osei's photo: only real images, stripped of metadata, resized, served by us."""

import io

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from careatlas.core.audit import AuditEvent
from careatlas.providers import confirmation
from careatlas.providers.models import PractitionerPhoto, Verification
from tests.practice_world import FACT_PAGES, build_practice

pytestmark = pytest.mark.django_db
GPS_IFD = 0x8825


@pytest.fixture(autouse=True)
def _fact_pages(settings):
    settings.ROOT_URLCONF = FACT_PAGES
    cache.clear()


@pytest.fixture
def practice(content_pack):
    return build_practice()


def _image(fmt: str, size=(1200, 900), mode="RGB", color=(200, 30, 30), **save) -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, color).save(out, fmt, **save)
    return out.getvalue()


def _camera_jpeg() -> bytes:
    """A phone photo: EXIF with the camera, where it was taken, and a comment."""
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0131] = "SecretEditor 1.0"  # Software
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (40.0, 44.0, 54.0), 3: "W", 4: (73.0, 59.0, 9.0)})
    return _image("JPEG", size=(2000, 1500), exif=exif.tobytes(), comment=b"home address")


def _upload(practice, data: bytes, name="photo.jpg", content_type="image/jpeg"):
    return practice.office.post(
        practice.edit_url("photo", practice.practitioner.pk),
        {"photo": SimpleUploadedFile(name, data, content_type=content_type)},
    )


def test_a_camera_photo_is_stripped_resized_and_served_from_our_origin(practice, patient):
    assert b"PhoneMaker" in _camera_jpeg()
    response = _upload(practice, _camera_jpeg())
    assert response.status_code == 302

    practice.practitioner.refresh_from_db()
    url = practice.practitioner.photo_url
    assert url.startswith(f"/providers/{practice.practitioner.npi}/photo/") and url.endswith(".jpg")
    profile = patient.get(practice.practitioner.get_absolute_url()).content.decode()
    assert f'src="{url}"' in profile and 'alt="Photo of Nadia Osei"' in profile

    served = patient.get(url)
    assert served.status_code == 200
    assert served["Content-Type"] == "image/jpeg"
    assert "immutable" in served["Cache-Control"] and "public" in served["Cache-Control"]
    data = b"".join(served.streaming_content) if served.streaming else served.content
    image = Image.open(io.BytesIO(data))
    assert max(image.size) == 480 and image.size == (480, 360)
    assert not image.getexif() and b"PhoneMaker" not in data and b"home address" not in data
    assert patient.get(url, HTTP_IF_NONE_MATCH=served["ETag"]).status_code == 304

    assert Verification.objects.get(practitioner=practice.practitioner, fact="photo").method == (
        "office_confirmation"
    )
    assert AuditEvent.objects.get(field="photo").new_value == url
    api = patient.get(f"/api/v1/providers/{practice.practitioner.npi}").json()
    assert api["photo_url"].endswith(url)


@pytest.mark.parametrize(
    ("fmt", "mode", "color"),
    [("PNG", "RGBA", (0, 0, 255, 0)), ("WEBP", "RGB", (10, 200, 10)), ("PNG", "P", 3)],
)
def test_png_and_webp_are_accepted_and_become_jpeg(practice, fmt, mode, color):
    assert _upload(practice, _image(fmt, (300, 600), mode, color), name="x.png").status_code == 302
    photo = PractitionerPhoto.objects.get()
    assert (photo.content_type, photo.width, photo.height) == ("image/jpeg", 240, 480)
    if mode == "RGBA":  # transparent becomes white, not black
        pixel = Image.open(io.BytesIO(bytes(photo.image))).getpixel((10, 10))
        assert min(pixel) > 240


def _bomb() -> bytes:
    """Tiny on disk, 48 megapixels once decoded."""
    return _image("PNG", (8000, 6000), "1", 0)


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"MZ\x90\x00 this is a program", "photo.jpg", "not a JPEG, PNG or WebP image"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "photo.png", "not a JPEG, PNG or WebP"),
        (_image("GIF", (50, 50), "P", 1), "photo.jpg", "not a JPEG, PNG or WebP image"),
        (_image("PNG", (50, 50))[:60], "photo.png", "not a JPEG, PNG or WebP image"),
        (_image("BMP", (50, 50)), "photo.webp", "not a JPEG, PNG or WebP image"),
        (_bomb(), "photo.png", "too large in pixels"),
        (b"", "photo.jpg", "The file is empty."),
    ],
)
def test_files_that_are_not_photos_are_refused_in_plain_words(practice, data, name, message):
    response = _upload(practice, data, name=name)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not PractitionerPhoto.objects.exists()
    practice.practitioner.refresh_from_db()
    assert practice.practitioner.photo_url == ""


def test_a_file_over_the_size_limit_is_refused(practice, settings):
    settings.PRACTICE_PHOTO_MAX_BYTES = 1024 * 1024
    big = b"\x89PNG" + b"0" * 1_100_000
    response = _upload(practice, big, name="photo.png")
    assert "larger than 1 MB" in response.content.decode()
    assert not PractitionerPhoto.objects.exists()


def test_a_new_photo_replaces_the_old_url(practice, patient):
    _upload(practice, _image("JPEG", color=(1, 2, 3)))
    practice.practitioner.refresh_from_db()
    old = practice.practitioner.photo_url
    _upload(practice, _image("JPEG", color=(250, 250, 250)))
    practice.practitioner.refresh_from_db()
    assert practice.practitioner.photo_url != old
    assert patient.get(old).status_code == 404
    assert patient.get(practice.practitioner.photo_url).status_code == 200
    assert PractitionerPhoto.objects.count() == 1


def test_removing_the_photo_takes_it_off_the_profile(practice, patient):
    _upload(practice, _image("JPEG"))
    practice.practitioner.refresh_from_db()
    url = practice.practitioner.photo_url
    confirmation.remove_photo(practice.practitioner, by_user=practice.user)
    assert patient.get(url).status_code == 404
    html = patient.get(practice.practitioner.get_absolute_url()).content.decode()
    assert "profile-photo" not in html
    assert not Verification.objects.filter(fact="photo").exists()
    assert AuditEvent.objects.filter(field="photo", new_value="").exists()
