from django.urls import reverse


def test_pages_render(client, staff, exhibition, booths, exhibitor_owner, buyer_owner):
    client.force_login(staff)
    for name in ("detail", "directory", "dashboard", "layout", "applications", "registrations", "edit"):
        response = client.get(reverse(f"exhibitions:{name}", kwargs={"slug": exhibition.slug}))
        assert response.status_code == 200, name
    assert client.get(reverse("exhibitions:list")).status_code == 200
    assert client.get(reverse("exhibitions:create")).status_code == 200
    client.force_login(exhibitor_owner)
    assert client.get(reverse("exhibitions:apply", kwargs={"slug": exhibition.slug})).status_code == 200
    client.force_login(buyer_owner)
    assert client.get(reverse("exhibitions:register", kwargs={"slug": exhibition.slug})).status_code == 200
